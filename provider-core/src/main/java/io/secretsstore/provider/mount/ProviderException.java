// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one exception type a Mount may end with. Its message is shown to anyone who can describe the
 * pod, so it names SecretProviderClass keys and objects, never values, tokens or backend bodies:
 * build messages only from constants and names, never from an exception of a library.
 */
public final class ProviderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final boolean throttled;
  private final transient @Nullable Duration retryAfter;
  private final transient @Nullable OperatorSetting setting;

  private ProviderException(
      ErrorKind kind,
      String message,
      boolean throttled,
      @Nullable Duration retryAfter,
      @Nullable OperatorSetting setting,
      @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause, false, true);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.throttled = throttled;
    this.retryAfter = retryAfter;
    this.setting = setting;
  }

  /** A failure of the given kind with a message safe to show in pod events. */
  public static ProviderException of(ErrorKind kind, String message) {
    return new ProviderException(kind, message, false, null, null, null);
  }

  /**
   * A failure caused by {@code cause}. The cause is kept for the type and stack in debug logs only;
   * its message is never shown or logged, since library messages may echo secret input.
   */
  public static ProviderException of(ErrorKind kind, String message, Throwable cause) {
    return new ProviderException(kind, message, false, null, null, cause);
  }

  /**
   * The backend is throttling (429, or its own throttling error): retried with backoff inside the
   * mount deadline, then reported as RESOURCE_EXHAUSTED.
   *
   * @param retryAfter the backend's advice on when to try again, or null
   */
  public static ProviderException throttled(String message, @Nullable Duration retryAfter) {
    return new ProviderException(
        ErrorKind.RESOURCE_EXHAUSTED, message, true, retryAfter, null, null);
  }

  public static ProviderException invalidArgument(String message) {
    return of(ErrorKind.INVALID_ARGUMENT, message);
  }

  public static ProviderException unauthenticated(String message) {
    return of(ErrorKind.UNAUTHENTICATED, message);
  }

  /**
   * INVALID_ARGUMENT: the SecretProviderClass asks for what this provider's settings do not allow.
   * The message ends with the flag and chart value that would allow it.
   *
   * @param message what is refused, naming the key
   */
  public static ProviderException refusedBySetting(String message, OperatorSetting setting) {
    return new ProviderException(
        ErrorKind.INVALID_ARGUMENT,
        message + ": " + setting.advice(),
        false,
        null,
        Objects.requireNonNull(setting, "setting"),
        null);
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The message given to the constructor, which is never null. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }

  /** Whether the backend throttled the call (as opposed to, say, an object being too large). */
  public boolean isThrottled() {
    return throttled;
  }

  /** How long the backend asked us to wait, when it said so. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The operator setting that would have accepted the request, when one caused the refusal. */
  public Optional<OperatorSetting> operatorSetting() {
    return Optional.ofNullable(setting);
  }

  /** The same failure with context in front of the message, e.g. the object it concerns. */
  public ProviderException withContext(String context) {
    return new ProviderException(
        kind, context + ": " + getMessage(), throttled, retryAfter, setting, getCause());
  }
}
