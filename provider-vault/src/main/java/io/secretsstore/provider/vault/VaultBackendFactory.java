// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.SecretBackend;
import java.util.List;

/**
 * Starts the HashiCorp Vault backend ({@code --backend vault}) from its {@code --vault-*} flags and
 * the environment.
 */
public final class VaultBackendFactory implements BackendFactory {
  /**
   * The audience Vault's Kubernetes and JWT auth roles conventionally expect, as upstream's chart
   * requests.
   */
  static final String DEFAULT_AUDIENCE = "vault";

  private final VaultOptions options = new VaultOptions();

  @Override
  public String name() {
    return VaultBackend.NAME;
  }

  @Override
  public Object options() {
    return options;
  }

  @Override
  public List<OperatorSetting> operatorSettings() {
    return List.of(VaultBackend.SKIP_VERIFY, SpcFileDirs.SETTING);
  }

  @Override
  public List<String> defaultAudiences() {
    return List.of(DEFAULT_AUDIENCE);
  }

  @Override
  public SecretBackend start(BackendContext context) {
    return VaultBackend.start(options.settings(System.getenv()), options.hmacKeyFile, context);
  }

  /**
   * Flags only: no Kubernetes client, key, cache or lease reaper; TLS paths are checked without the
   * file system.
   */
  @Override
  public SecretBackend startDryRun(BackendContext context) {
    return VaultBackend.dryRun(options.settings(System.getenv()), context);
  }
}
