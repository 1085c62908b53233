// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process, from its {@code /proc/<pid>/status}. */
final class ProcessMemory {
  private ProcessMemory() {}

  /** The peak resident set since the process started ({@code VmHWM}), in MiB. */
  static double peakRssMiB(long pid) throws IOException {
    return kib(pid, "VmHWM:") / 1024.0;
  }

  private static long kib(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException(field + " not in /proc/" + pid + "/status");
  }
}
