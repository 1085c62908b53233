// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import java.util.ArrayList;
import java.util.List;

/** What one check found wrong: failures and warnings, in the order seen. */
final class Findings {
  private final List<String> failures = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  Findings fail(String what) {
    failures.add(what);
    return this;
  }

  Findings warn(String what) {
    warnings.add(what);
    return this;
  }

  /** Fails with {@code what} unless {@code ok}. */
  Findings require(boolean ok, String what) {
    return ok ? this : fail(what);
  }

  boolean isEmpty() {
    return failures.isEmpty() && warnings.isEmpty();
  }

  Outcome outcome() {
    return !failures.isEmpty() ? Outcome.FAIL : !warnings.isEmpty() ? Outcome.WARN : Outcome.PASS;
  }

  String detail() {
    List<String> all = new ArrayList<>(failures);
    all.addAll(warnings);
    return String.join("; ", all);
  }
}
