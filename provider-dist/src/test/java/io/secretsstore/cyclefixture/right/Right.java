// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.cyclefixture.right;

import io.secretsstore.cyclefixture.left.Left;

/** The other half of the deliberate package cycle of {@link Left}. */
public final class Right {

  private Right() {}

  /**
   * What the other package reads (a method: a constant would be inlined, leaving no dependency).
   */
  public static String name() {
    return "right";
  }

  /** Depends back on the first package. */
  public static int leftSize() {
    return Left.size();
  }
}
