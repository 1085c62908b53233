// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One misbehaviour an emulator can be told to show, independent of the transport. {@link
 * EmulatorServer} applies them to HTTP; a gRPC emulator maps them itself (see {@link
 * FaultDecision}).
 *
 * <p>{@link Latency}, {@link ResponseTime} and {@link SlowBody} shape a response; {@link
 * ErrorResponse}, {@link Reset} and {@link Hang} replace it, and are {@linkplain
 * #replacesResponse() terminal}.
 */
public sealed interface Fault
    permits Fault.Latency,
        Fault.ResponseTime,
        Fault.ErrorResponse,
        Fault.Reset,
        Fault.SlowBody,
        Fault.Hang {
  /** How long a {@link Hang} lasts when not given: longer than any client deadline in the suite. */
  Duration DEFAULT_HANG = Duration.ofMinutes(5);

  /** Wait this long before handling the call. */
  static Latency latency(Duration delay) {
    return new Latency(delay);
  }

  /**
   * Answer no sooner than {@code total} after the call arrived, the emulator's own work (checking a
   * signature or a token, rendering the answer) inside it rather than on top: how a real backend's
   * latency looks from the client. {@link #latency} adds its delay to that work instead.
   */
  static ResponseTime responseTime(Duration total) {
    return new ResponseTime(total);
  }

  /**
   * Answer with this status instead of calling the handler; add headers or a body with its {@code
   * with} methods. Any status 200..599 works, so a canned answer (e.g. a 200 whose body is not the
   * JSON the client expects) is injected the same way.
   */
  static ErrorResponse error(int status) {
    return new ErrorResponse(status, Map.of(), null);
  }

  /** Answer 429 with {@code Retry-After} in whole seconds (rounded up), as the clouds throttle. */
  static ErrorResponse throttled(Duration retryAfter) {
    long seconds = (retryAfter.toMillis() + 999) / 1000;
    return error(429).withHeader("Retry-After", Long.toString(seconds));
  }

  /** Close the connection without answering: the client sees EOF or a reset. */
  static Reset reset() {
    return new Reset();
  }

  /**
   * Send the response body in chunks of {@code chunkBytes}, pausing {@code pause} before each one
   * after the first.
   */
  static SlowBody slowBody(int chunkBytes, Duration pause) {
    return new SlowBody(chunkBytes, pause);
  }

  /**
   * Never answer; the connection is closed after {@link #DEFAULT_HANG} or when the server closes.
   */
  static Hang hang() {
    return new Hang(DEFAULT_HANG);
  }

  /** Never answer; the connection is closed after {@code max} or when the server closes. */
  static Hang hang(Duration max) {
    return new Hang(max);
  }

  /** Whether this fault takes the place of the handler's response. */
  default boolean replacesResponse() {
    return false;
  }

  /** A delay before the call is handled. */
  record Latency(Duration delay) implements Fault {
    /** Checks the delay is not negative. */
    public Latency {
      requireNotNegative(delay, "latency");
    }
  }

  /** The least time from a call's arrival to its answer. */
  record ResponseTime(Duration total) implements Fault {
    /** Checks the time is not negative. */
    public ResponseTime {
      requireNotNegative(total, "response time");
    }
  }

  /**
   * An error answer. A null body means "the emulator's own error format" ({@link ErrorRenderer}),
   * so that SDKs parse it as they would a real error.
   */
  record ErrorResponse(int status, Map<String, String> headers, String body) implements Fault {
    /** Checks the status and freezes the headers (in insertion order). */
    public ErrorResponse {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("status must be 200..599, got " + status);
      }
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The same error with one more header. */
    public ErrorResponse withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new ErrorResponse(status, more, body);
    }

    /** The same error with this body (JSON unless a {@code Content-Type} header says otherwise). */
    public ErrorResponse withBody(String body) {
      return new ErrorResponse(status, headers, body);
    }

    @Override
    public boolean replacesResponse() {
      return true;
    }
  }

  /** The connection is closed without a response. */
  record Reset() implements Fault {
    @Override
    public boolean replacesResponse() {
      return true;
    }
  }

  /** The response body trickles out. */
  record SlowBody(int chunkBytes, Duration pause) implements Fault {
    /** Checks the chunk size is positive and the pause not negative. */
    public SlowBody {
      if (chunkBytes < 1) {
        throw new IllegalArgumentException("chunkBytes must be positive");
      }
      requireNotNegative(pause, "pause");
    }
  }

  /**
   * No response until {@code max} has passed or the server closes; then the connection is closed.
   */
  record Hang(Duration max) implements Fault {
    /** Checks the maximum is positive. */
    public Hang {
      if (max.isNegative() || max.isZero()) {
        throw new IllegalArgumentException("hang must be positive");
      }
    }

    @Override
    public boolean replacesResponse() {
      return true;
    }
  }

  private static void requireNotNegative(Duration duration, String what) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative");
    }
  }
}
