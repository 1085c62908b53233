// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code serve} started as a separate JVM on this test class path, as a DaemonSet would start it.
 * Output goes to files so tests can scan everything the process printed.
 */
public final class ServeProcess implements AutoCloseable {
  /** How long a JVM may take to start serving on a loaded machine. */
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Process process;
  private final Path socket;
  private final Path output;
  private final int healthPort;
  private final int metricsPort;

  private ServeProcess(Process process, Path socket, Path output, int healthPort, int metricsPort) {
    this.process = process;
    this.socket = socket;
    this.output = output;
    this.healthPort = healthPort;
    this.metricsPort = metricsPort;
  }

  /** Starts {@code serve --backend backend} with the extra flags and waits for the socket. */
  public static ServeProcess start(String backend, Path socketDir, String... extraFlags)
      throws IOException, InterruptedException {
    return start(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            "io.secretsstore.provider.cli.Main"),
        backend,
        socketDir,
        extraFlags);
  }

  /**
   * Starts {@code serve --backend backend} through a distribution's launcher script, with the JVM
   * flags the launcher (and so the chart's pods) uses, and waits for the socket.
   */
  public static ServeProcess launch(
      Path launcher, String backend, Path socketDir, String... extraFlags)
      throws IOException, InterruptedException {
    // The test's JVM, not whichever java is first on the PATH.
    return start(
        List.of("env", "JAVA_HOME=" + System.getProperty("java.home"), launcher.toString()),
        backend,
        socketDir,
        extraFlags);
  }

  /**
   * The health and metrics ports are found free and then handed to the process, so another build on
   * the machine can take one in between; that start is retried on new ports.
   */
  private static ServeProcess start(
      List<String> main, String backend, Path socketDir, String... extraFlags)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(main, backend, socketDir, extraFlags);
      } catch (PortTaken e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** A start that failed only because a chosen port was taken meanwhile. */
  private static final class PortTaken extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTaken(String message) {
      super(message);
    }
  }

  private static ServeProcess startOnce(
      List<String> main, String backend, Path socketDir, String... extraFlags)
      throws IOException, InterruptedException {
    int health = freePort();
    int metrics = freePort();
    Path output = Files.createTempFile("serve", ".log");
    List<String> command = new ArrayList<>(main);
    command.addAll(
        List.of(
            "serve",
            "--backend",
            backend,
            "--socket-dir",
            socketDir.toString(),
            "--health-addr",
            "127.0.0.1:" + health,
            "--metrics-addr",
            "127.0.0.1:" + metrics));
    command.addAll(List.of(extraFlags));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    Path socket = socketDir.resolve(backend + ".sock");
    Poll.until(STARTUP, () -> Files.exists(socket) || !process.isAlive());
    if (!Files.exists(socket)) {
      process.destroyForcibly().waitFor();
      String text = Files.readString(output);
      if (text.contains("cannot listen there (Address already in use)")) {
        throw new PortTaken("serve found a chosen port taken; output:\n" + text);
      }
      throw new IllegalStateException("serve did not create its socket; output:\n" + text);
    }
    // The health listener starts just after the socket: wait for it too, so a first probe cannot
    // race it.
    // A process that exited (e.g. it refused a file at the socket path) is returned for the test to
    // inspect.
    if (!Poll.until(STARTUP, () -> !process.isAlive() || accepts(health))) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException(
          "serve did not open its health port; output:\n" + Files.readString(output));
    }
    return new ServeProcess(process, socket, output, health, metrics);
  }

  private static boolean accepts(int port) {
    try {
      new java.net.Socket("127.0.0.1", port).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public Path socket() {
    return socket;
  }

  public int healthPort() {
    return healthPort;
  }

  public int metricsPort() {
    return metricsPort;
  }

  /** Everything the process printed so far. */
  public String output() throws IOException {
    return Files.readString(output);
  }

  /** Waits for the process to exit on its own; returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("serve did not exit within " + timeout);
    }
    return process.exitValue();
  }

  /** The process id (the JVM's: the launcher execs it), for reading its /proc entries. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends SIGKILL, as an OOM kill or a node problem would, and waits for it to die. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Sends SIGTERM and waits for the exit code. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("serve did not stop within " + timeout);
    }
    return process.exitValue();
  }

  /**
   * Kills the process and waits until it has exited, so its connections to emulators and mock
   * servers are gone before the test closes those.
   */
  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "serve (pid " + process.pid() + ") did not exit within 60 s of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
