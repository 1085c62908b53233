// SPDX-License-Identifier: Apache-2.0
/**
 * Audit events (one per secret access or refused mount) and their sinks, and keyed payload
 * fingerprints that find one secret value served under several owners without revealing it. Depends
 * on spi and fetch results only; nothing here reads a request.
 */
package io.secretsstore.provider.audit;
