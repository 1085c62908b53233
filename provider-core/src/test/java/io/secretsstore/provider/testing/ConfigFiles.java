// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Configuration files as a ConfigMap volume changes them. */
public final class ConfigFiles {
  private ConfigFiles() {}

  /**
   * Replaces the file in one step, as kubelet's symlink swap does, so a watcher never reads half of
   * it.
   */
  public static void replace(Path file, String content) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, content);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
