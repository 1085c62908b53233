// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import io.secretsstore.provider.cli.CommandExtension;

/** Adds {@code demo} to the executable. */
public final class DemoCommandExtension implements CommandExtension {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public Object command() {
    return new DemoCommand();
  }
}
