// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

/**
 * Thrown by a handler to answer with an error status; the server renders it with the emulator's
 * {@link ErrorRenderer}, so each cloud's error shape lives in one place.
 */
public final class EmulatorError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /** An error with an HTTP status and a message for the body (never a secret value or token). */
  public EmulatorError(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 400..599, got " + status);
    }
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }
}
