// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The driver emulator. Being written in its own branch; this placeholder fails loudly. */
@Command(name = "mount", description = "Mount a SecretProviderClass through a provider socket, as the driver does.")
final class MountCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("mount is not implemented yet");
  }
}
