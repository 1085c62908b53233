// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.cyclefixture.left;

import io.secretsstore.cyclefixture.right.Right;

/** Half of a deliberate package cycle: shows that LayeringTest's cycle rule can fail. */
public final class Left {
  private Left() {}

  /** Depends on the other package, which depends back on this one. */
  public static int size() {
    return Right.name().length();
  }
}
