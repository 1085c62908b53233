// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import java.util.Objects;

/**
 * A mount the driver would fail, with the message it would give (or one that says what it would
 * do). Messages are built from constants, key names and paths only, never from file contents,
 * tokens or a library's exception text, since they are printed.
 */
public final class DriverFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DriverFailure(String message) {
    super(message, null, false, false);
  }

  /** The message given to the constructor, which is never null. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }
}
