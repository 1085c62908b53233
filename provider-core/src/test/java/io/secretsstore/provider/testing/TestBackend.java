// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.IdentityKey;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.ProviderException;
import io.secretsstore.provider.spi.SecretBackend;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that exists only in tests, to drive core's pipeline end to end. Its {@code objects}
 * parameter is a JSON list of {@code {name, path?, mode?, content, version?, fail?, delayMs?}};
 * {@code content} is what the object "holds" (tests plant canaries there), {@code fail} an {@link
 * ErrorKind} to fail with, {@code delayMs} a backend latency. It needs the pod's token for {@code
 * audience} (default {@code test-audience}), like a real backend.
 */
public final class TestBackend implements SecretBackend {
  public static final String NAME = "test";
  public static final String DEFAULT_AUDIENCE = "test-audience";
  /** Backend calls made by every instance in this JVM. */
  public static final AtomicInteger FETCHES = new AtomicInteger();

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Clock clock;

  public TestBackend() {
    this(Clock.systemUTC());
  }

  public TestBackend(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MountPlan<?> plan(MountRequestContext request) {
    String audience = request.attribute("audience").orElse(DEFAULT_AUDIENCE);
    request.tokens().require(audience, clock.instant());
    List<Map<String, Object>> objects;
    try {
      objects = JSON.readValue(request.attribute("objects").orElse("[]"), new TypeReference<>() {});
    } catch (Exception e) {
      throw ProviderException.invalidArgument("objects is not a JSON list");
    }
    List<PlannedObject<Map<String, Object>>> planned = new ArrayList<>();
    for (Map<String, Object> object : objects) {
      String name = String.valueOf(object.get("name"));
      String path = String.valueOf(object.getOrDefault("path", name));
      FileMode mode =
          object.containsKey("mode")
              ? FileMode.parseOctal(String.valueOf(object.get("mode")), "mode")
              : request.defaultMode();
      planned.add(new PlannedObject<>(name, path, mode, Map.copyOf(object)));
    }
    IdentityKey identity =
        IdentityKey.of(NAME, "namespace", request.pod().namespace(), "serviceAccount",
            request.pod().serviceAccountName(), "audience", audience);
    return new MountPlan<>(identity, planned, TestBackend::fetch);
  }

  private static FetchedObject fetch(PlannedObject<Map<String, Object>> object) throws InterruptedException {
    FETCHES.incrementAndGet();
    Map<String, Object> spec = object.spec();
    if (spec.containsKey("delayMs")) {
      Thread.sleep(((Number) spec.get("delayMs")).longValue());
    }
    if (spec.containsKey("fail")) {
      ErrorKind kind = ErrorKind.valueOf(String.valueOf(spec.get("fail")));
      throw ProviderException.of(kind, "the test store refused the object");
    }
    byte[] content = String.valueOf(spec.getOrDefault("content", "")).getBytes(StandardCharsets.UTF_8);
    if (spec.containsKey("sizeBytes")) {
      content = new byte[((Number) spec.get("sizeBytes")).intValue()];
    }
    return FetchedObject.single(object, content, String.valueOf(spec.getOrDefault("version", "1")));
  }
}
