// SPDX-License-Identifier: Apache-2.0
/**
 * Credentials derived from pod tokens (cloud sessions, access tokens, Vault tokens), cached per
 * {@link io.secretsstore.provider.credentials.IdentityKey} until shortly before they expire, and
 * keys operators supply as files.
 */
package io.secretsstore.provider.credentials;
