// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import io.secretsstore.provider.driver.AtomicWriter;
import io.secretsstore.provider.text.TextTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The emulators one {@code emulators} command started, closed together exactly once. */
final class RunningEmulators implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningEmulators.class);

  private final List<CloudEmulator> emulators = new ArrayList<>();
  private final List<StartedEmulator> started = new ArrayList<>();
  private final Path caFile;
  private final Path ownedDirectory;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RunningEmulators(Path caFile, Path ownedDirectory) {
    this.caFile = caFile;
    this.ownedDirectory = ownedDirectory;
  }

  /**
   * Starts each emulator in turn; if one fails, the ones already started are closed again.
   *
   * @param ownedDirectory a temporary directory holding the CA file, deleted on close; or null
   */
  static RunningEmulators start(
      List<CloudEmulator> emulators, EmulatorOptions options, Path ownedDirectory)
      throws IOException {
    RunningEmulators running = new RunningEmulators(options.caFile(), ownedDirectory);
    try {
      for (CloudEmulator emulator : emulators) {
        running.emulators.add(emulator);
        running.started.add(emulator.start(options));
      }
    } catch (IOException | RuntimeException e) {
      running.close();
      throw e;
    }
    return running;
  }

  /**
   * Seeds each started emulator that has a section, in start order; returns every identity
   * declared.
   */
  List<SeededIdentity> seed(Map<String, SeedNode> sections) {
    List<SeededIdentity> identities = new ArrayList<>();
    for (int i = 0; i < emulators.size(); i++) {
      SeedNode section = sections.get(emulators.get(i).name());
      if (section != null) {
        identities.addAll(emulators.get(i).seed(started.get(i), section));
      }
    }
    return identities;
  }

  void print(PrintWriter out) {
    TextTable endpoints = new TextTable("EMULATOR", "ENDPOINT", "URL");
    TextTable settings = new TextTable("EMULATOR", "SETTING", "VALUE");
    for (StartedEmulator emulator : started) {
      for (Map.Entry<String, URI> endpoint : emulator.endpoints().entrySet()) {
        endpoints.add(emulator.name(), endpoint.getKey(), endpoint.getValue().toString());
      }
      emulator.settings().forEach((key, value) -> settings.add(emulator.name(), key, value));
    }
    endpoints.print(out);
    out.println();
    out.println("CA certificate (trust it for the https endpoints): " + caFile);
    if (started.stream().anyMatch(emulator -> !emulator.settings().isEmpty())) {
      out.println();
      settings.print(out);
    }
    out.flush();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (CloudEmulator emulator : emulators) {
      try {
        emulator.close();
      } catch (RuntimeException e) {
        // Keep closing the others; one emulator's failure must not leave ports open.
        LOG.warn("closing emulator {} failed: {}", emulator.name(), e.getClass().getName());
      }
    }
    if (ownedDirectory != null) {
      try {
        // Also token files and key files the seeds and demos wrote beside the CA.
        AtomicWriter.deleteTree(ownedDirectory);
      } catch (IOException e) {
        LOG.warn("cannot delete {}: {}", ownedDirectory, e.getClass().getName());
      }
    }
  }
}
