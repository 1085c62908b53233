// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import java.util.Objects;

/**
 * The result of one of the 16 conformance checks of driver-contract.md. The detail names codes,
 * paths, sizes and timings, never file contents or tokens.
 *
 * @param number the check's number, 1..16
 * @param title what the check asks of a provider, in a few words
 * @param outcome how it ended
 * @param detail what was seen
 */
public record CheckResult(int number, String title, Outcome outcome, String detail) {
  public CheckResult {
    if (number < 1 || number > ConformanceSuite.CHECKS) {
      throw new IllegalArgumentException("checks are numbered 1.." + ConformanceSuite.CHECKS);
    }
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }

  static CheckResult of(int number, Findings findings, String passDetail) {
    return of(number, findings.outcome(), findings.isEmpty() ? passDetail : findings.detail());
  }

  static CheckResult of(int number, Outcome outcome, String detail) {
    return new CheckResult(number, ConformanceSuite.title(number), outcome, detail);
  }
}
