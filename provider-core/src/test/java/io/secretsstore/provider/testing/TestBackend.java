// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.SecretBackend;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * A backend that exists only in tests, to drive core's pipeline end to end. Its {@code objects}
 * parameter is a JSON list of {@code {name, path?, mode?, content, version?, fail?, delayMs?}};
 * {@code content} is what the object "holds" (tests plant canaries there), {@code fail} an {@link
 * ErrorKind} to fail with, {@code delayMs} a backend latency. An object without {@code content}
 * reads the backend's store ({@link #put}), whose versions change with every put, so tests can
 * rotate a secret. It needs the pod's token for {@code audience} (default {@code test-audience}),
 * and {@code deny} lists service accounts the store refuses, like a real backend. A test double, so
 * it is its own factory: {@link #start} returns this instance, whose store tests change.
 */
public final class TestBackend implements BackendFactory, SecretBackend {
  public static final String NAME = "test";
  public static final String DEFAULT_AUDIENCE = "test-audience";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Clock clock;
  private final AtomicInteger fetches = new AtomicInteger();
  private final Map<String, Stored> store = new ConcurrentHashMap<>();
  private volatile ProviderException failure;

  private record Stored(String content, int version) {}

  public TestBackend() {
    this(Clock.systemUTC());
  }

  public TestBackend(Clock clock) {
    this.clock = clock;
  }

  /** Backend calls made so far. */
  public int fetches() {
    return fetches.get();
  }

  /** Stores (or rotates) a secret; its version increases with every put. */
  public void put(String name, String content) {
    store.merge(name, new Stored(content, 1), (old, x) -> new Stored(content, old.version() + 1));
  }

  /** Makes every fetch fail with this exception until {@code null} is set (throttling, outages). */
  public void failAll(ProviderException failure) {
    this.failure = failure;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SecretBackend start(BackendContext context) {
    return this;
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
        IdentityKey.of(
            NAME,
            "namespace",
            request.pod().namespace(),
            "serviceAccount",
            request.pod().serviceAccountName(),
            "audience",
            audience);
    String serviceAccount = request.pod().serviceAccountName();
    boolean denied =
        List.of(request.attribute("deny").orElse("").split(",")).contains(serviceAccount);
    return new MountPlan<>(
        identity,
        request.attribute("endpoint").orElse("test-store"),
        planned,
        o -> fetch(o, denied));
  }

  private FetchedObject fetch(PlannedObject<Map<String, Object>> object, boolean denied)
      throws InterruptedException {
    fetches.incrementAndGet();
    Map<String, Object> spec = object.spec();
    ProviderException injected = failure;
    if (injected != null) {
      throw injected;
    }
    if (denied) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED, "the test store denied the service account");
    }
    if (spec.containsKey("delayMs")) {
      // Injected backend latency (like the emulators'), not a wait in a test.
      Thread.sleep(((Number) spec.get("delayMs")).longValue());
    }
    if (spec.containsKey("fail")) {
      ErrorKind kind = ErrorKind.valueOf(String.valueOf(spec.get("fail")));
      throw ProviderException.of(kind, "the test store refused the object");
    }
    if (!spec.containsKey("content") && !spec.containsKey("sizeBytes")) {
      Stored stored = store.get(object.id());
      if (stored == null) {
        throw ProviderException.of(ErrorKind.NOT_FOUND, "the object is not in the test store");
      }
      FetchedObject fetched =
          FetchedObject.single(
              object, stored.content().getBytes(StandardCharsets.UTF_8), "v" + stored.version());
      if (spec.containsKey("stableSeconds")) {
        fetched =
            fetched.stableUntil(
                clock.instant().plusSeconds(((Number) spec.get("stableSeconds")).longValue()));
      }
      return fetched;
    }
    byte[] content =
        String.valueOf(spec.getOrDefault("content", "")).getBytes(StandardCharsets.UTF_8);
    if (spec.containsKey("sizeBytes")) {
      content = new byte[((Number) spec.get("sizeBytes")).intValue()];
    }
    return FetchedObject.single(object, content, String.valueOf(spec.getOrDefault("version", "1")));
  }
}
