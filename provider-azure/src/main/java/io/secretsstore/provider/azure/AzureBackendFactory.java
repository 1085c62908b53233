// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.SecretBackend;
import java.util.List;

/** Starts the Azure backend ({@code --backend azure}) from its {@code --azure-*} flags. */
public final class AzureBackendFactory implements BackendFactory {
  private final AzureOptions options = new AzureOptions();

  @Override
  public String name() {
    return AzureBackend.NAME;
  }

  @Override
  public Object options() {
    return options;
  }

  @Override
  public List<OperatorSetting> operatorSettings() {
    return List.of(
        AzureOptions.SERVICE_PRINCIPAL, AzureOptions.MANAGED_IDENTITY, AzureOptions.POD_IDENTITY);
  }

  /** Workload identity's token exchange audience. */
  @Override
  public List<String> defaultAudiences() {
    return List.of(AzureLogins.EXCHANGE_AUDIENCE);
  }

  @Override
  public List<String> chartAudiences() {
    return List.of(AzureLogins.EXCHANGE_AUDIENCE, AzureLogins.IDENTITY_BINDING_AUDIENCE);
  }

  @Override
  public SecretBackend start(BackendContext context) {
    AzureSettings settings;
    try {
      settings = options.settings();
    } catch (IllegalArgumentException e) {
      throw ProviderException.of(ErrorKind.FAILED_PRECONDITION, e.getMessage());
    }
    return AzureBackend.start(settings, context);
  }

  /** Start without the CA bundle file: plan() only checks, and builds logins it never runs. */
  @Override
  public SecretBackend startDryRun(BackendContext context) {
    return AzureBackend.dryRun(options.settings(), context);
  }
}
