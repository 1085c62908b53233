// SPDX-License-Identifier: Apache-2.0
/**
 * The Azure emulator: the Key Vault REST API (secrets, keys, certificates, versions) behind its
 * bearer challenge, and an AAD token endpoint that checks client assertions and client secrets.
 */
package io.secretsstore.provider.emulators.azure;
