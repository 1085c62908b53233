// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The IAM role of a service account: {@code --aws-role-arn-for} first, otherwise the annotation
 * {@code eks.amazonaws.com/role-arn} read from an informer's cache, so a mount never costs a GET
 * (upstream's #136 throttling). The informer starts on first use and watches service accounts in
 * all namespaces.
 */
final class RoleArns implements AutoCloseable {
  static final String ANNOTATION = "eks.amazonaws.com/role-arn";

  private final Map<String, String> fixed;
  private final Supplier<KubernetesClient> kube;
  private volatile SharedIndexInformer<ServiceAccount> informer;

  RoleArns(Map<String, String> fixed, Supplier<KubernetesClient> kube) {
    this.fixed = Map.copyOf(fixed);
    this.kube = kube;
  }

  /** The role ARN, or a FAILED_PRECONDITION naming the service account. */
  String roleArn(String namespace, String serviceAccount) {
    String key = namespace + "/" + serviceAccount;
    String mapped = fixed.get(key);
    if (mapped != null) {
      return mapped;
    }
    Optional<String> annotated = Optional.ofNullable(informer().getIndexer().getByKey(key))
        .map(sa -> sa.getMetadata().getAnnotations())
        .map(annotations -> annotations.get(ANNOTATION))
        .filter(arn -> !arn.isBlank());
    return annotated.orElseThrow(() -> ProviderException.of(ErrorKind.FAILED_PRECONDITION,
        "An IAM role must be associated with service account " + key + " (annotation " + ANNOTATION + ")"));
  }

  private SharedIndexInformer<ServiceAccount> informer() {
    SharedIndexInformer<ServiceAccount> current = informer;
    if (current == null) {
      synchronized (this) {
        current = informer;
        if (current == null) {
          KubernetesClient client = kube.get();
          if (client == null) {
            throw ProviderException.of(ErrorKind.FAILED_PRECONDITION,
                "no Kubernetes API to read the service account's role: use --aws-role-arn-for");
          }
          try {
            current = client.serviceAccounts().inAnyNamespace().inform();
          } catch (KubernetesClientException e) {
            // Not a bug of the mount: the API server is down or unreachable. Its text names hosts only.
            throw ProviderException.of(ErrorKind.UNAVAILABLE, "the Kubernetes API cannot be reached to read the service account's role annotation; the next mount tries again");
          }
          informer = current;
        }
      }
    }
    return current;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
