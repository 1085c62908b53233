// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.ObjectMapper;

/**
 * The images' Java runtime, built here the way the Dockerfile builds it
 * (src/main/jlink/jlink-runtime with the module list src/main/jlink/modules) but with the local
 * JDK's jlink, since no container engine runs the tests: the list covers what jdeps finds in the
 * four distributions, the Dockerfile's entrypoint on that runtime serves each cloud and mounts
 * through its emulator with the class-data sharing archive the image build writes, and the demo
 * mounts every backend on it. It also measures the runtime's size and a provider's RSS against the
 * full JDK (printed, not asserted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrimmedRuntimeIT {
  private static final Path JLINK_DIR = Path.of("src/main/jlink");
  private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile");
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final Path FULL_JDK = Path.of(System.getProperty("java.home"));
  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Map<String, CaseBook> BOOKS =
      Map.of(
          "aws",
          new AwsCases(),
          "azure",
          new AzureCases(),
          "gcp",
          new GcpCases(),
          "vault",
          new VaultCases());

  private Path runtime;

  @BeforeAll
  void buildTheTrimmedRuntime() throws Exception {
    runtime = TARGET.resolve("trimmed-runtime");
    if (Files.exists(runtime)) {
      ServeProcesses.deleteTree(runtime); // jlink refuses an existing output directory
    }
    String output =
        run(
            Map.of("JAVA_HOME", FULL_JDK.toString()),
            Duration.ofMinutes(5),
            JLINK_DIR.resolve("jlink-runtime").toAbsolutePath().toString(),
            runtime.toString());
    assertThat(runtime.resolve("bin/java")).as(output).isExecutable();
  }

  /** The module list, as jlink-runtime reads it. */
  private static Set<String> listedModules() throws IOException {
    Set<String> modules = new TreeSet<>();
    for (String line : Files.readAllLines(JLINK_DIR.resolve("modules"))) {
      String module = line.replaceAll("#.*", "").strip();
      if (!module.isEmpty()) {
        modules.add(module);
      }
    }
    return modules;
  }

  @Test
  void theRuntimeHoldsTheListedModulesAndTheirDependenciesOnly() throws Exception {
    Set<String> modules = new TreeSet<>();
    for (String line :
        run(
                Map.of(),
                Duration.ofMinutes(1),
                runtime.resolve("bin/java").toString(),
                "--list-modules")
            .split("\n")) {
      modules.add(line.replaceAll("@.*", "").strip());
    }
    assertThat(modules)
        .containsAll(listedModules())
        .doesNotContain(
            "java.compiler",
            "jdk.compiler",
            "jdk.jlink",
            "jdk.jshell",
            "java.rmi",
            "java.scripting");
    assertThat(runtime.resolve("lib/server/classes.jsa"))
        .as("the runtime's own CDS archive")
        .isRegularFile();
  }

  /** The jdeps run the module list's comment describes, over the four distributions' jars. */
  @Test
  void theModuleListCoversEverythingJdepsFindsInTheFourDistributions() throws Exception {
    Path jars = Files.createTempDirectory(TARGET, "jdeps-");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--ignore-missing-deps",
                "--print-module-deps",
                "--multi-release",
                "17",
                "-q",
                "--class-path",
                jars + "/*"));
    for (String cloud : BOOKS.keySet()) {
      try (Stream<Path> lib =
          Files.list(TARGET.resolve("secrets-store-provider-" + cloud).resolve("lib"))) {
        for (Path jar : lib.filter(p -> p.toString().endsWith(".jar")).toList()) {
          Path copy = jars.resolve(jar.getFileName());
          if (!Files.exists(copy)) {
            copyWithoutModuleInfo(jar, copy);
            args.add(copy.toString());
          }
        }
      }
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        ToolProvider.findFirst("jdeps")
            .orElseThrow()
            .run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                args.toArray(String[]::new));
    assertThat(code).as(err.toString()).isZero();
    String[] lines = out.toString().strip().split("\n");
    Set<String> found = new TreeSet<>(Arrays.asList(lines[lines.length - 1].strip().split(",")));

    System.out.println("jdeps finds " + found + "; the list has " + listedModules());
    assertThat(found).contains("java.base").isSubsetOf(listedModules());
  }

  /**
   * jdeps resolves a modular jar given on the command line as a module and stops at its first
   * missing requirement.
   */
  private static void copyWithoutModuleInfo(Path jar, Path copy) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (!entry.getName().endsWith("module-info.class")) {
          out.putNextEntry(new ZipEntry(entry.getName()));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
  }

  /**
   * The image's /opt/secrets-store-provider as the Dockerfile lays it out: the cloud's
   * distribution, copied, with the class-data sharing archive written by the given runtime
   * (standing for /opt/jre), as the build stage does.
   */
  private Path image(String cloud, Path java) throws Exception {
    Path home =
        Files.createTempDirectory(TARGET, "image-" + cloud + "-").resolve("secrets-store-provider");
    copyTree(TARGET.resolve("secrets-store-provider-" + cloud), home);
    String output =
        run(
            Map.of("JAVA_HOME", java.toString()),
            Duration.ofMinutes(3),
            home.resolve("bin/create-cds-archive").toString(),
            cloud);
    assertThat(output).contains("wrote " + home.resolve("lib/app.jsa"));
    return home;
  }

  /**
   * The Dockerfile's ENTRYPOINT with its two image paths mapped to this runtime and distribution.
   */
  private static List<String> entrypoint(Path java, Path home) throws IOException {
    String line =
        Files.readAllLines(DOCKERFILE).stream()
            .filter(l -> l.startsWith("ENTRYPOINT ["))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no exec-form ENTRYPOINT in " + DOCKERFILE));
    String[] image =
        new ObjectMapper().readValue(line.substring("ENTRYPOINT ".length()), String[].class);
    return Arrays.stream(image)
        .map(
            arg ->
                arg.replace("/opt/jre", java.toString())
                    .replace("/opt/secrets-store-provider", home.toString()))
        .toList();
  }

  /** A started serve process of the image's command line, its socket and its output file. */
  private record Serve(Process process, Path socket, Path log, long startNanos, long readyNanos) {}

  private static Serve serve(
      List<String> entrypoint, String cloud, List<String> flags, Path dir, boolean requireArchive)
      throws Exception {
    List<String> command = new ArrayList<>(entrypoint);
    command.addAll(
        List.of(
            "serve",
            "--backend",
            cloud,
            "--socket-dir",
            dir.toString(),
            "--health-addr=",
            "--metrics-addr=",
            "--log-format",
            "text",
            "--log-level",
            "info"));
    command.addAll(flags);
    Path log = dir.resolveSibling(dir.getFileName() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("MALLOC_ARENA_MAX", "2"); // as the image's ENV
    if (requireArchive) {
      // The JVM refuses to start unless it maps the archive: proves the image's archive fits its
      // runtime.
      builder.environment().put("JDK_JAVA_OPTIONS", "-Xshare:on");
    }
    long start = System.nanoTime();
    Process process = builder.start();
    Path socket = dir.resolve(cloud + ".sock");
    long deadline = start + STARTUP.toNanos();
    Poll.until(
        Duration.ofNanos(deadline - System.nanoTime()),
        () -> Files.exists(socket) || !process.isAlive());
    if (!Files.exists(socket)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          "serve did not create its socket; its output:\n" + Files.readString(log));
    }
    return new Serve(process, socket, log, start, System.nanoTime());
  }

  private static MountReply mountOne(ProviderUnderTest provider, Path socket) throws Exception {
    try (ProviderClient client = ProviderClient.connect(socket)) {
      ServeProcesses.awaitVersion(client);
      return client.mount(
          ProviderUnderTest.call(
              provider.attributes(provider.book.objects(provider.book.object("one")))),
          Duration.ofSeconds(60));
    }
  }

  private static long rssKib(Process process) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new AssertionError("no VmRSS for " + process.pid());
  }

  private static void stop(Serve serve) throws InterruptedException {
    serve.process().destroy();
    if (!serve.process().waitFor(30, TimeUnit.SECONDS)) {
      serve.process().destroyForcibly().waitFor();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"aws", "azure", "gcp", "vault"})
  void theImageEntrypointOnTheTrimmedRuntime_servesTheCloudAndMountsThroughItsEmulator(String cloud)
      throws Exception {
    Path home = image(cloud, runtime);
    try (ProviderUnderTest provider =
        ProviderUnderTest.seeded(BOOKS.get(cloud), ChecklistSuite.NO_BACKGROUND_POLLS, "one")) {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "tr");
      Serve serve = serve(entrypoint(runtime, home), cloud, provider.flags, dir, true);
      try {
        MountReply reply = mountOne(provider, serve.socket());

        assertThat(reply.errorCode()).isEmpty();
        assertThat(reply.files()).hasSize(1);
        assertThat(new String(reply.files().get(0).contents(), StandardCharsets.UTF_8))
            .contains(Canaries.SECRET + "-one");
        System.out.printf(
            "%s on the trimmed runtime: socket after %d ms, RSS after one mount %d KiB%n",
            cloud, (serve.readyNanos() - serve.startNanos()) / 1_000_000, rssKib(serve.process()));
      } finally {
        stop(serve);
        ServeProcesses.deleteTree(dir);
      }
      assertThat(Files.readString(serve.log()))
          .doesNotContain("Exception")
          .doesNotContain(Canaries.SECRET);
    } finally {
      ServeProcesses.deleteTree(home.getParent());
    }
  }

  /**
   * Size of the runtime, start-up and RSS after a mount: trimmed versus the full JDK, each with its
   * own archive.
   */
  @Test
  void footprint_trimmedRuntimeVersusTheFullJdk() throws Exception {
    String cloud = "vault";
    Map<String, Path> runtimes = Map.of("trimmed", runtime, "full JDK", FULL_JDK);
    for (Map.Entry<String, Path> java : runtimes.entrySet()) {
      Path home = image(cloud, java.getValue());
      try (ProviderUnderTest provider =
          ProviderUnderTest.seeded(BOOKS.get(cloud), ChecklistSuite.NO_BACKGROUND_POLLS, "one")) {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "fp");
        Serve serve = serve(entrypoint(java.getValue(), home), cloud, provider.flags, dir, true);
        try {
          assertThat(mountOne(provider, serve.socket()).files()).hasSize(1);
          System.out.printf(
              "footprint %s: runtime %d MiB, socket after %d ms, RSS after one mount %d KiB%n",
              java.getKey(),
              treeBytes(java.getValue()) >> 20,
              (serve.readyNanos() - serve.startNanos()) / 1_000_000,
              rssKib(serve.process()));
        } finally {
          stop(serve);
          ServeProcesses.deleteTree(dir);
        }
      } finally {
        ServeProcesses.deleteTree(home.getParent());
      }
    }
  }

  @Test
  void theDemoMountsEveryBackendOnTheTrimmedRuntime() throws Exception {
    // Every backend and the emulators, from this test's class path: under `verify` the tests run
    // before `package` writes the all-in-one jar. The demo's JVM, not the image's, so the JDK's
    // default heap.
    String output =
        run(
            Map.of(),
            Duration.ofMinutes(5),
            runtime.resolve("bin/java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "io.secretsstore.provider.cli.Main",
            "demo");

    assertThat(output)
        .contains("== vault")
        .contains("== aws")
        .contains("== gcp")
        .contains("== azure")
        .contains("demo finished: 4 backend(s) mounted");
  }

  private static long treeBytes(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /** Runs a command to completion and returns its output; fails on a non-zero exit or a timeout. */
  private static String run(Map<String, String> env, Duration timeout, String... command)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = process.getInputStream();
                  OutputStream out = output) {
                in.transferTo(out);
              } catch (IOException e) {
                // The process died; its exit code says so.
              }
            });
    reader.start();
    boolean exited = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    reader.join();
    String text = output.toString(StandardCharsets.UTF_8);
    assertThat(exited).as("%s did not finish in %s: %s", command[0], timeout, text).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), text).isZero();
    return text;
  }
}
