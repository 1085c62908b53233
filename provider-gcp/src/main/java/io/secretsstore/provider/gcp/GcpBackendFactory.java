// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import io.secretsstore.provider.kube.ServiceAccountAnnotations;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.SecretBackend;
import java.util.List;

/**
 * Starts the GCP backend ({@code --backend gcp}) from its {@code --gcp-*} flags and the
 * environment. It has no default token audience: the workload identity pool names the project.
 */
public final class GcpBackendFactory implements BackendFactory {
  private final GcpOptions options = new GcpOptions();

  @Override
  public String name() {
    return GcpBackend.NAME;
  }

  @Override
  public Object options() {
    return options;
  }

  @Override
  public List<OperatorSetting> operatorSettings() {
    return List.of(GcpBackend.PROVIDER_ADC);
  }

  @Override
  public SecretBackend start(BackendContext context) {
    GcpSettings settings;
    try {
      settings = options.settings(System.getenv());
    } catch (IllegalArgumentException e) {
      throw ProviderException.of(ErrorKind.FAILED_PRECONDITION, e.getMessage());
    }
    return GcpBackend.start(settings, ServiceAccountAnnotations.TTL, context);
  }

  /** Flags only: no clients, CA files or informers; service-account annotations are not read. */
  @Override
  public SecretBackend startDryRun(BackendContext context) {
    return GcpBackend.dryRun(options.settings(System.getenv()), context);
  }
}
