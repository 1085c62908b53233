// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.health;

import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.driver.DriverFailure;
import io.secretsstore.provider.driver.DriverRequest;
import io.secretsstore.provider.driver.DriverRequestBuilder;
import io.secretsstore.provider.driver.PodSettings;
import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.driver.ServiceAccountTokenFiles;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.SecretBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Readiness for an operator's probe identity: mounts a SecretProviderClass as a pod of that
 * identity would, straight through the backend (its plan and fetcher, not the engine's cache), so
 * readiness fails when credentials cannot be obtained or the objects cannot be read, not only when
 * the endpoint is unreachable. The tokens are read from their files on every probe, since kubelet
 * rotates projected tokens; the objects read are discarded.
 *
 * <p>The answer names the gRPC-style kind and the backend's message, which is safe for pod events
 * (it never carries a token or a secret value).
 */
public final class ProbeIdentity implements Supplier<Optional<String>>, AutoCloseable {
  private static final String PREFIX = "the readiness probe identity cannot mount: ";

  /** Where the request says the volume is; nothing is written there. */
  private static final Path TARGET = Path.of("/readiness-probe");

  private final SecretBackend backend;
  private final SecretProviderClassFile spc;
  private final PodSettings pod;
  private final Map<String, Path> tokenFiles;
  private final Clock clock;
  private final Duration timeout;
  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(new NamedThreads("readiness-probe"));

  /**
   * @param spc the SecretProviderClass to mount; its namespace is the probe pod's
   * @param serviceAccount the probe pod's service account, whose tokens {@code tokenFiles} hold
   * @param tokenFiles a token file per audience, as the driver's {@code tokenRequests} would pass
   * @param timeout how long one probe may take before it counts as failed
   */
  public ProbeIdentity(
      SecretBackend backend,
      SecretProviderClassFile spc,
      String serviceAccount,
      Map<String, Path> tokenFiles,
      Clock clock,
      Duration timeout) {
    this.backend = backend;
    this.spc = spc;
    String namespace =
        spc.namespace()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the SecretProviderClass must name its metadata.namespace, the probe pod's namespace"));
    spc.checkForPod(namespace);
    this.pod =
        new PodSettings(
            namespace,
            "secrets-store-provider-readiness-probe",
            UUID.randomUUID().toString(),
            serviceAccount,
            true,
            Map.of());
    this.tokenFiles = Map.copyOf(tokenFiles);
    this.clock = clock;
    this.timeout = timeout;
  }

  /**
   * This probe, run at most once per {@code period}; readiness checks in between get its last
   * answer.
   */
  public Supplier<Optional<String>> every(Duration period) {
    return new RecentResult<>(this, period);
  }

  @Override
  public Optional<String> get() {
    Future<?> probe =
        runner.submit(
            () -> {
              mountOnce();
              return null;
            });
    try {
      probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (TimeoutException e) {
      probe.cancel(true);
      return Optional.of(PREFIX + "no answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      probe.cancel(true);
      Thread.currentThread().interrupt();
      return Optional.of(PREFIX + "interrupted");
    } catch (ExecutionException e) {
      return Optional.of(PREFIX + describe(e.getCause()));
    }
  }

  private void mountOnce() throws InterruptedException {
    ServiceAccountTokenFiles tokens = ServiceAccountTokenFiles.read(tokenFiles, clock.instant());
    DriverRequest request =
        new DriverRequestBuilder(spc, pod, TARGET).tokens(tokens, false).publish();
    MountRequestContext context =
        MountRequestContext.parse(
            request.attributesJson(),
            request.secretsJson(),
            request.targetPath(),
            request.permission(),
            List.of());
    fetchAll(backend.plan(context));
  }

  private static <S> void fetchAll(MountPlan<S> plan) throws InterruptedException {
    for (PlannedObject<S> object : plan.objects()) {
      plan.fetcher().fetch(object);
    }
  }

  private static String describe(@Nullable Throwable failure) {
    if (failure instanceof ProviderException e) {
      return e.kind() + ": " + e.getMessage();
    }
    if (failure instanceof DriverFailure e) {
      // The token files: a message naming the flag and audience, never a token.
      return e.getMessage();
    }
    return "a bug: " + SafeThrowables.describe(failure);
  }

  @Override
  public void close() {
    runner.shutdownNow();
  }
}
