// SPDX-License-Identifier: Apache-2.0
/**
 * The HashiCorp Vault backend: a drop-in replacement for hashicorp/vault-csi-provider. The same
 * SecretProviderClass parameters, files and object versions (keyed HMACs sharing upstream's key
 * Secret), plus token and response caching per identity, lease renewal and revocation, and PKI
 * certificate reuse. {@link io.secretsstore.provider.vault.VaultBackend} is the only public type.
 */
package io.secretsstore.provider.vault;
