// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.kube.ServiceAccountAnnotations;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.SecretBackend;
import java.util.List;

/**
 * Starts the AWS backend ({@code --backend aws}) from its {@code --aws-*} flags and the
 * environment.
 */
public final class AwsBackendFactory implements BackendFactory {
  private final AwsOptions options = new AwsOptions();

  @Override
  public String name() {
    return AwsBackend.NAME;
  }

  @Override
  public Object options() {
    return options;
  }

  /**
   * IRSA's: EKS Pod Identity users pass {@code --token-request-audience=pods.eks.amazonaws.com}.
   */
  @Override
  public List<String> defaultAudiences() {
    return List.of(Logins.IRSA_AUDIENCE);
  }

  @Override
  public List<String> chartAudiences() {
    return List.of(Logins.IRSA_AUDIENCE, Logins.POD_IDENTITY_AUDIENCE);
  }

  @Override
  public SecretBackend start(BackendContext context) {
    AwsSettings settings;
    try {
      settings = options.settings(System.getenv());
    } catch (IllegalArgumentException e) {
      throw ProviderException.of(ErrorKind.FAILED_PRECONDITION, e.getMessage());
    }
    return AwsBackend.start(settings, ServiceAccountAnnotations.TTL, context);
  }

  /**
   * Flags only: no clients, informers or node lookups. Without a region (parameter or flag), the
   * node's label would decide: the dry run cannot read it and plans with a placeholder region.
   */
  @Override
  public SecretBackend startDryRun(BackendContext context) {
    return AwsBackend.dryRun(options.settings(System.getenv()), context);
  }
}
