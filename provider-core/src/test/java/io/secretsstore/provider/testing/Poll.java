// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting on a condition where a test must go on either way (teardown), instead of a fixed sleep.
 */
public final class Poll {
  private Poll() {}

  /** Whether the condition held within the timeout; checked every 20 ms. */
  public static boolean until(Duration timeout, Callable<Boolean> condition) {
    try {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }
}
