// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.secretsstore.provider.conformance.EmulatedBackend;
import io.secretsstore.provider.conformance.ServeProcesses;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ServeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One backend's real distribution ({@code target/secrets-store-provider-<cloud>}) started by its
 * launcher, so with the JVM flags the chart's pods run (64 MiB heap, 32 MiB direct memory, exit on
 * OutOfMemoryError), serving a real Unix socket against the backend's emulator. Two tenants share
 * it, as they share a node's provider: the {@link #victim()} and the {@link #attacker()}, each a
 * pod of its own namespace with an identity of its own, both on one driver connection.
 */
public final class HostileProvider implements AutoCloseable {
  /** Where Maven assembles the distributions, relative to provider-dist. */
  private static final Path DISTRIBUTIONS = Path.of("target");

  private static final Duration REJECTION_TIMEOUT = Duration.ofSeconds(60);

  private final EmulatedBackend backend;
  private final Path dir;
  private final ServeProcess process;
  private final ProviderClient client;
  private final Tenant victim;
  private final Tenant attacker;

  private HostileProvider(EmulatedBackend backend, Path dir, ServeProcess process) {
    this.backend = backend;
    this.dir = dir;
    this.process = process;
    this.client = ProviderClient.connect(process.socket());
    this.victim = new Tenant(backend, EmulatedBackend.SECOND_TENANT, "victim-0");
    this.attacker = new Tenant(backend, EmulatedBackend.FIRST_TENANT, "attacker-0");
  }

  /**
   * Starts the emulator of {@code cloud} and its distribution's {@code serve} with the emulator's
   * flags and {@code extraFlags}; waits until it answers Version.
   */
  public static HostileProvider start(String cloud, String... extraFlags)
      throws IOException, InterruptedException {
    return startWithout(cloud, flag -> false, extraFlags);
  }

  /**
   * As {@link #start(String, String...)}, leaving out the emulator's flags that {@code dropFlag}
   * matches: to run with what an operator allows by default (e.g. any Vault address) where the case
   * book narrows it.
   */
  public static HostileProvider startWithout(
      String cloud, Predicate<String> dropFlag, String... extraFlags)
      throws IOException, InterruptedException {
    EmulatedBackend backend = EmulatedBackend.start(cloud);
    Path dir = null;
    ServeProcess process = null;
    try {
      dir = Files.createTempDirectory(Path.of("/tmp"), "hostile");
      List<String> flags = new ArrayList<>(backend.flags());
      flags.removeIf(dropFlag);
      flags.addAll(List.of("--drain-timeout", "1s"));
      flags.addAll(List.of(extraFlags));
      Path launcher =
          DISTRIBUTIONS
              .resolve("secrets-store-provider-" + cloud)
              .resolve("bin/secrets-store-provider");
      assertThat(launcher)
          .as("the %s distribution (assembled before the tests)", cloud)
          .isExecutable();
      process = ServeProcess.launch(launcher, cloud, dir, flags.toArray(String[]::new));
      HostileProvider provider = new HostileProvider(backend, dir, process);
      ServeProcesses.awaitVersion(provider.client);
      return provider;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      if (process != null) {
        process.close();
      }
      backend.close();
      throw e;
    }
  }

  /** The emulator and its case book. */
  public EmulatedBackend backend() {
    return backend;
  }

  /** The driver's one connection to the provider, which every tenant's mounts share. */
  public ProviderClient client() {
    return client;
  }

  /** The tenant whose mounts must keep working during an attack. */
  public Tenant victim() {
    return victim;
  }

  /** The tenant who sends the hostile requests. */
  public Tenant attacker() {
    return attacker;
  }

  /** Whether the provider process is still running (it exits on OutOfMemoryError). */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The provider JVM's process id, for its /proc entries. */
  public long pid() {
    return process.pid();
  }

  /** The process's peak resident memory since it started ({@code VmHWM}), in MiB. */
  public double peakRssMiB() throws IOException {
    return ProcessMemory.peakRssMiB(process.pid());
  }

  /** Everything the provider printed so far. */
  public String output() throws IOException {
    return process.output();
  }

  /** Asserts the provider is up, answers Version, and printed no canary. */
  public void assertUpAndNothingLeaked() throws IOException, InterruptedException {
    assertThat(process.isAlive())
        .as("the provider process is running; its output:\n%s", tail())
        .isTrue();
    ServeProcesses.awaitVersion(client);
    LogCapture.assertNoCanaryIn(process.output(), backend.canaries());
  }

  /**
   * Asserts that {@code call} fails with {@code code}, that its message names {@code parameter},
   * and that it carries no canary; returns the message.
   */
  public String assertRejected(ProviderClient.MountCall call, String code, String parameter) {
    try {
      client.mount(call, REJECTION_TIMEOUT);
    } catch (ProviderCallException e) {
      assertThat(e.code()).as(e.description()).isEqualTo(code);
      assertThat(e.description()).as("the message names the parameter").contains(parameter);
      LogCapture.assertNoCanaryIn(e.description(), backend.canaries());
      return e.description();
    }
    return fail("expected " + code + " naming " + parameter + " but the mount succeeded");
  }

  /**
   * Ends an attack: stops the victim's mounts, reports them ({@link #report}), and asserts that
   * they were unharmed within {@code bound} and that the provider is up and leaked nothing.
   */
  public VictimLoad.Outcome assertVictimUnharmed(String attack, VictimLoad victim, Duration bound)
      throws IOException, InterruptedException {
    VictimLoad.Outcome outcome = victim.stop();
    report(attack, outcome);
    outcome.assertUnharmed(bound);
    assertUpAndNothingLeaked();
    return outcome;
  }

  /**
   * Prints what an attack cost the victim and the provider's peak memory so far, and appends it to
   * {@code target/hostile-tenant.txt} (the numbers docs/security.md quotes).
   */
  public void report(String attack, VictimLoad.Outcome victim) throws IOException {
    String line =
        String.format(
            "%s [%s]: victim %s; provider peak RSS %.1f MiB%n",
            attack, backend.backend(), victim, peakRssMiB());
    System.out.print(line);
    Files.writeString(
        DISTRIBUTIONS.resolve("hostile-tenant.txt"),
        line,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private String tail() throws IOException {
    String output = process.output();
    return output.substring(Math.max(0, output.length() - 4000));
  }

  /** Closes everything; first prints the end of the provider's output, for the test report. */
  @Override
  public void close() throws IOException {
    System.out.println(
        "provider "
            + (process.isAlive() ? "running" : "exited")
            + "; the end of its output:\n"
            + tail());
    client.close();
    process.close();
    backend.close();
    ServeProcesses.deleteTree(dir);
  }
}
