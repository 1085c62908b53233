// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import com.github.benmanes.caffeine.cache.Ticker;
import io.secretsstore.provider.kube.ServiceAccountAnnotations;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM role of a service account: {@code --aws-role-arn-for} first, otherwise the annotation
 * {@code eks.amazonaws.com/role-arn}, read by name and kept for a short time by core's {@link
 * ServiceAccountAnnotations}: one GET per service account per TTL, not one per mount (upstream's
 * #136 throttling), and no cluster-wide watch.
 */
final class RoleArns implements AutoCloseable {
  static final String ANNOTATION = "eks.amazonaws.com/role-arn";

  private final Map<String, String> fixed;
  private final ServiceAccountAnnotations annotations;

  RoleArns(Map<String, String> fixed, SharedKubeClient kube, Duration ttl) {
    this.fixed = Map.copyOf(fixed);
    this.annotations = new ServiceAccountAnnotations(kube, ANNOTATION, ttl, Ticker.systemTicker());
  }

  /** The role ARN, or a FAILED_PRECONDITION naming the service account. */
  String roleArn(String namespace, String serviceAccount) {
    String key = namespace + "/" + serviceAccount;
    String mapped = fixed.get(key);
    if (mapped != null) {
      return mapped;
    }
    if (!annotations.available()) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          "no Kubernetes API to read the service account's role: use --aws-role-arn-for");
    }
    Optional<String> annotated =
        annotations
            .of(namespace, serviceAccount)
            .map(found -> found.get(ANNOTATION))
            .filter(arn -> !arn.isBlank());
    return annotated.orElseThrow(
        () ->
            ProviderException.of(
                ErrorKind.FAILED_PRECONDITION,
                "An IAM role must be associated with service account "
                    + key
                    + " (annotation "
                    + ANNOTATION
                    + ")"));
  }

  @Override
  public void close() {
    annotations.close();
  }
}
