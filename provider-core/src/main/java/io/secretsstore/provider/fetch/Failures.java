// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Folds the failures of several objects of one mount into one status that names each failing
 * object. The code is the one they share; when they differ, the first failure a retry cannot fix
 * wins, so the driver does not retry a mount that will fail again.
 */
final class Failures {
  private static final int MAX_LISTED = 5;
  private static final Set<ErrorKind> TRANSIENT =
      EnumSet.of(ErrorKind.UNAVAILABLE, ErrorKind.DEADLINE_EXCEEDED);

  private Failures() {}

  /**
   * One object's failure.
   *
   * @param ref how the message names the object
   * @param exception what went wrong
   */
  record Failure(String ref, ProviderException exception) {}

  static ProviderException combine(List<Failure> failures, int objectCount) {
    if (failures.size() == 1) {
      Failure only = failures.get(0);
      return only.exception().withContext(only.ref());
    }
    ErrorKind kind = kindOf(failures);
    StringBuilder message =
        new StringBuilder(
            failures.size() + " of " + objectCount + " objects could not be fetched: ");
    for (int i = 0; i < Math.min(failures.size(), MAX_LISTED); i++) {
      Failure failure = failures.get(i);
      message
          .append(i == 0 ? "" : "; ")
          .append(failure.ref())
          .append(": ")
          .append(failure.exception().getMessage());
    }
    if (failures.size() > MAX_LISTED) {
      message.append("; and ").append(failures.size() - MAX_LISTED).append(" more");
    }
    return ProviderException.of(kind, message.toString());
  }

  private static ErrorKind kindOf(List<Failure> failures) {
    ErrorKind first = failures.get(0).exception().kind();
    if (failures.stream().allMatch(f -> f.exception().kind() == first)) {
      return first;
    }
    return failures.stream()
        .map(f -> f.exception().kind())
        .filter(k -> !TRANSIENT.contains(k))
        .findFirst()
        .orElse(ErrorKind.DEADLINE_EXCEEDED);
  }
}
