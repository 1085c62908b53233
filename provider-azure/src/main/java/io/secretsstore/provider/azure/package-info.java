// SPDX-License-Identifier: Apache-2.0
/**
 * The azure backend: a drop-in for Azure/secrets-store-csi-driver-provider-azure 1.8 (Key Vault
 * secrets, keys and certificates with workload identity or a service principal).
 */
package io.secretsstore.provider.azure;
