// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import io.secretsstore.provider.cli.CommandExtension;

/** Adds the {@code emulators} subcommand to the provider's command line. */
public final class EmulatorsCommandExtension implements CommandExtension {
  @Override
  public String name() {
    return "emulators";
  }

  @Override
  public Object command() {
    return new EmulatorsCommand();
  }
}
