// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import java.util.Locale;

/** How one conformance check ended. Only {@link #FAIL} makes the command exit non-zero. */
public enum Outcome {
  PASS,
  /** Works with the driver, but something a user should know (a large response, a vague code). */
  WARN,
  FAIL,
  /** Not run: it needs a SecretProviderClass and tokens the command was not given. */
  SKIP;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
