// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.net.HttpURLConnection;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keys kept in immutable Kubernetes Secrets, shared by every provider pod of a cluster (the Vault
 * backend's HMAC key). Read once, created when missing; when two pods create it at once the loser
 * reads the winner's, so every node ends up with the same key.
 */
public final class ImmutableSecrets {
  private final KubernetesClient client;

  public ImmutableSecrets(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The bytes under {@code dataKey} of the Secret, creating the Secret with {@code generator}'s
   * bytes if it does not exist.
   *
   * @throws ProviderException naming the Secret when it cannot be read or created, or holds no
   *     usable value under the key (the fix is to delete it so it is regenerated)
   */
  public byte[] getOrCreate(
      String namespace, String name, String dataKey, Supplier<byte[]> generator) {
    String ref = "Secret " + namespace + "/" + name;
    try {
      Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
      if (existing == null) {
        existing = create(namespace, name, dataKey, generator.get());
      }
      String encoded = existing.getData() == null ? null : existing.getData().get(dataKey);
      if (encoded == null || encoded.isEmpty()) {
        throw ProviderException.of(
            ErrorKind.FAILED_PRECONDITION,
            ref + " has no data key \"" + dataKey + "\"; delete it so the provider regenerates it");
      }
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          ref + " holds a value that is not base64; delete it so the provider regenerates it");
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(e, "read or create " + ref);
    }
  }

  private Secret create(String namespace, String name, String dataKey, byte[] value) {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .withLabels(Map.of("app.kubernetes.io/managed-by", "secrets-store-provider"))
            .endMetadata()
            .withType("Opaque")
            .withImmutable(true)
            .withData(Map.of(dataKey, Base64.getEncoder().encodeToString(value)))
            .build();
    try {
      return client.secrets().inNamespace(namespace).resource(secret).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        // Another provider pod created it first: use theirs, so all nodes agree.
        Secret winner = client.secrets().inNamespace(namespace).withName(name).get();
        if (winner != null) {
          return winner;
        }
      }
      throw e;
    }
  }
}
