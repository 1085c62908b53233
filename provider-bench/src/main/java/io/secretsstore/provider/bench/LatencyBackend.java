// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.SecretBackend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend for the engine benchmarks only (never registered as a service, so it cannot be served):
 * every fetch costs a fixed latency, like a round trip to a cloud API, and is counted. Parameter
 * {@code objects} is the number of objects; the identity is the pod's service account.
 */
final class LatencyBackend implements SecretBackend {
  private final long latencyMillis;
  private final AtomicLong calls = new AtomicLong();

  LatencyBackend(long latencyMillis) {
    this.latencyMillis = latencyMillis;
  }

  long calls() {
    return calls.get();
  }

  @Override
  public String name() {
    return "latency";
  }

  @Override
  public MountPlan<?> plan(MountRequestContext request) {
    int count = Integer.parseInt(request.attribute("objects").orElse("1"));
    List<PlannedObject<String>> objects = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      objects.add(
          new PlannedObject<>("secret-" + i, "secret-" + i, request.defaultMode(), "secret-" + i));
    }
    IdentityKey identity =
        IdentityKey.of(
            name(),
            "namespace",
            request.pod().namespace(),
            "serviceAccount",
            request.pod().serviceAccountName());
    return new MountPlan<>(
        identity,
        "bench",
        objects,
        object -> {
          calls.incrementAndGet();
          Thread.sleep(latencyMillis);
          return FetchedObject.single(
              object, ("value of " + object.id()).getBytes(StandardCharsets.UTF_8), "1");
        });
  }
}
