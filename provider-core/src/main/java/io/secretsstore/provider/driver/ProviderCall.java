// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One Mount call as the driver makes it: under kubelet's deadline, retried on {@code UNAVAILABLE}
 * as the driver's gRPC service config asks (3 attempts, backoff from 1 s growing by 1.1 up to 10 s,
 * with gRPC's full jitter). A non-OK status fails with the text Go's gRPC gives the driver, which
 * ends up in the pod's events: {@code rpc error: code = InvalidArgument desc = ...}.
 */
final class ProviderCall {
  static final int MAX_ATTEMPTS = 3;
  static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  static final double BACKOFF_MULTIPLIER = 1.1;

  private ProviderCall() {}

  /**
   * Calls Mount until it answers with something other than {@code UNAVAILABLE}, the attempts are
   * used up, or the deadline leaves no time for another.
   *
   * @param notes told about each retry
   * @throws DriverFailure with the driver's text for the final non-OK status
   */
  static MountReply mount(
      ProviderClient client, DriverRequest request, Duration timeout, Consumer<String> notes) {
    long deadline = System.nanoTime() + timeout.toNanos();
    double backoffNanos = INITIAL_BACKOFF.toNanos();
    for (int attempt = 1; ; attempt++) {
      Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
      try {
        return client.mount(
            request.toMountCall(), remaining.isNegative() ? Duration.ZERO : remaining);
      } catch (ProviderCallException e) {
        long sleepNanos = ThreadLocalRandom.current().nextLong((long) backoffNanos + 1);
        boolean retry =
            e.code().equals("UNAVAILABLE")
                && attempt < MAX_ATTEMPTS
                && System.nanoTime() + sleepNanos < deadline;
        if (!retry) {
          throw new DriverFailure(goStatusText(e.code(), e.description()));
        }
        notes.accept(
            "the provider answered UNAVAILABLE; retrying as the driver does (attempt "
                + (attempt + 1)
                + " of "
                + MAX_ATTEMPTS
                + ")");
        sleep(sleepNanos);
        backoffNanos = Math.min(backoffNanos * BACKOFF_MULTIPLIER, MAX_BACKOFF.toNanos());
      }
    }
  }

  /** Go's {@code status.Error(...).Error()}, e.g. {@code rpc error: code = NotFound desc = x}. */
  static String goStatusText(String javaCodeName, String description) {
    return "rpc error: code = " + goCodeName(javaCodeName) + " desc = " + Printable.of(description);
  }

  /** Go's name of a gRPC code: {@code INVALID_ARGUMENT} is {@code InvalidArgument}. */
  static String goCodeName(String javaCodeName) {
    if (javaCodeName.equals("CANCELLED")) {
      return "Canceled";
    }
    if (javaCodeName.equals("OK")) {
      return "OK";
    }
    StringBuilder name = new StringBuilder();
    for (String word : javaCodeName.toLowerCase(Locale.ROOT).split("_")) {
      if (!word.isEmpty()) {
        name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    return name.toString();
  }

  /**
   * Real backoff between the driver's retries of an UNAVAILABLE call (the mount command waits as
   * the driver would).
   */
  private static void sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DriverFailure("interrupted while waiting to retry the provider call");
    }
  }
}
