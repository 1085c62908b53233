// SPDX-License-Identifier: Apache-2.0
/**
 * Credentials derived from pod tokens (cloud sessions, access tokens, Vault tokens), cached per
 * identity until shortly before they expire, and keys operators supply as files.
 */
package io.secretsstore.provider.credentials;
