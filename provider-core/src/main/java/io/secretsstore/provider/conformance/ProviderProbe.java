// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.driver.DriverRequest;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Calls the provider under test exactly once per request (no driver retries, so every answer is
 * seen) and remembers how long each Mount took, for the deadline check.
 */
final class ProviderProbe implements AutoCloseable {
  private final Path socket;
  private final Duration timeout;
  private final ProviderClient client;
  private final List<Duration> mountTimes = new ArrayList<>();

  ProviderProbe(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
    this.client = ProviderClient.connect(socket);
  }

  Path socket() {
    return socket;
  }

  ProviderClient client() {
    return client;
  }

  Attempt mount(DriverRequest request) {
    return mount(request.toMountCall(), timeout);
  }

  Attempt mount(ProviderClient.MountCall call, Duration deadline) {
    long start = System.nanoTime();
    Optional<ProviderCallException> failure = Optional.empty();
    Optional<io.secretsstore.provider.grpc.MountReply> reply = Optional.empty();
    try {
      reply = Optional.of(client.mount(call, deadline));
    } catch (ProviderCallException e) {
      failure = Optional.of(e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    synchronized (mountTimes) {
      mountTimes.add(took);
    }
    return new Attempt(reply, failure, took);
  }

  /** The longest Mount so far. */
  Duration longestMount() {
    synchronized (mountTimes) {
      return mountTimes.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
