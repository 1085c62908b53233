// SPDX-License-Identifier: Apache-2.0
/**
 * The HashiCorp Vault emulator: {@link io.secretsstore.provider.emulators.vault.VaultEmulator}, the
 * one entry point, and the value types it takes and gives ({@link
 * io.secretsstore.provider.emulators.vault.VaultRole}, {@link
 * io.secretsstore.provider.emulators.vault.ClientCertificate}). Everything else is package-private.
 *
 * <p>Inside: {@code VaultApi} routes requests and checks tokens; {@code KubernetesAuth} with {@code
 * ServiceAccountTokens} logs in with minted service-account JWTs; {@code Mounts} finds the {@code
 * SecretsEngine} of a path ({@code KvEngine}, {@code PkiEngine}, {@code DatabaseEngine}); {@code
 * Leases} and {@code Tokens} keep what logins and dynamic secrets handed out; {@code
 * MutualTlsProxy} adds client-certificate TLS in front of the shared server.
 */
package io.secretsstore.provider.emulators.vault;
