// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.provider.sync.SyncStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The world of a SecretSync controller test: the CRUD mock API server, core's test backend holding
 * {@code db/password} (a canary), the SecretProviderClass {@code app-secrets} naming it, a token
 * for {@code team-a/app}, and a {@link SyncHarness} to start replicas with.
 */
public final class SyncTestBed implements AutoCloseable {
  public static final String NS = "team-a";

  private final Teardown teardown = new Teardown();
  public final SyncApiServer api = teardown.add(new SyncApiServer());
  public final KubernetesClient kube = api.client();
  public final TestBackend backend = new TestBackend();
  public final SyncHarness harness;

  public SyncTestBed() {
    api.serviceAccountToken(NS, "app", Canaries.TOKEN);
    backend.put("db/password", "v1-" + Canaries.SECRET);
    api.createProviderClass(
        NS, "app-secrets", "test", Map.of("objects", "[{\"name\":\"db/password\"}]"));
    harness = teardown.add(new SyncHarness(api, backend, List.of(TestBackend.DEFAULT_AUDIENCE)));
  }

  /**
   * Registers what a test started against this bed (an informer, a client): closed before the bed's
   * own parts.
   */
  public <T extends AutoCloseable> T closesFirst(T resource) {
    return teardown.add(resource);
  }

  /** The Secret as stored, or null. */
  public Secret secret(String name) {
    return kube.secrets().inNamespace(NS).withName(name).get();
  }

  /** A Secret's value under a key, decoded. */
  public static String value(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  /** A SecretSync's condition of a type, or an empty map. */
  public Map<String, Object> condition(String name, String type) {
    return SyncStatus.of(api.secretSync(NS, name).getAdditionalProperties().get("status"))
        .condition(type);
  }

  @Override
  public void close() {
    teardown.close();
  }
}
