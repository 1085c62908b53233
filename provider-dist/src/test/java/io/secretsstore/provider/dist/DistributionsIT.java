// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-cloud distributions Maven assembles in target/: core plus exactly one backend, no
 * emulator, no demo and no other cloud's SDK, and a launcher that starts it.
 */
class DistributionsIT {
  /** Jar name prefixes that only a cloud's SDK (or backend) brings. */
  private static final Map<String, List<String>> CLOUD_JARS =
      Map.of(
          "aws",
              List.of(
                  "provider-aws-",
                  "secretsmanager-",
                  "ssm-",
                  "sts-",
                  "aws-core-",
                  "url-connection-client-"),
          "azure", List.of("provider-azure-", "azure-", "msal4j-"),
          "gcp",
              List.of(
                  "provider-gcp-",
                  "google-cloud-secretmanager-",
                  "proto-google-cloud-secretmanager-",
                  "gax-"),
          "vault", List.of("provider-vault-", "vault-java-driver-"));

  @ParameterizedTest
  @ValueSource(strings = {"aws", "azure", "gcp", "vault"})
  void aCloudsDistributionHoldsCoreAndThatBackendOnly(String cloud) throws IOException {
    List<String> jars = jars(cloud);
    assertThat(jars)
        .anyMatch(jar -> jar.startsWith("provider-core-"))
        .anyMatch(jar -> jar.startsWith("proto-"))
        .anyMatch(jar -> jar.startsWith("provider-" + cloud + "-"))
        .noneMatch(
            jar -> jar.startsWith("provider-emulators-") || jar.startsWith("provider-dist-"));
    CLOUD_JARS.forEach(
        (other, prefixes) -> {
          if (!other.equals(cloud)) {
            assertThat(jars)
                .as("%s jars in the %s distribution", other, cloud)
                .noneMatch(jar -> prefixes.stream().anyMatch(jar::startsWith));
          }
        });
  }

  /**
   * One Jackson (issue 23): the provider's code uses Jackson 3, so only a cloud SDK that loads
   * Jackson 2 itself brings it (azure-core does; none of these three do).
   */
  @ParameterizedTest
  @ValueSource(strings = {"aws", "gcp", "vault"})
  void aDistributionShipsOneJackson(String cloud) throws IOException {
    assertThat(jars(cloud))
        .anyMatch(jar -> jar.startsWith("jackson-databind-3."))
        .noneMatch(
            jar -> jar.startsWith("jackson-databind-2.") || jar.startsWith("jackson-core-2."));
  }

  @ParameterizedTest
  @ValueSource(strings = {"aws", "azure", "gcp", "vault"})
  void theLauncherStartsTheProviderWithOnlyItsBackend(String cloud) throws Exception {
    Path launcher = home(cloud).resolve("bin/secrets-store-provider");
    assertThat(Files.isExecutable(launcher)).isTrue();

    assertThat(run(launcher, "version")).startsWith("secrets-store-provider ");
    String other = cloud.equals("aws") ? "vault" : "aws";
    assertThat(
            run(
                launcher,
                "serve",
                "--backend",
                other,
                "--socket-dir",
                Files.createTempDirectory("dist").toString()))
        .contains(other)
        .contains("[" + cloud + "]");
  }

  /**
   * Azure included: its lambdas crashed JDK 17.0.15's dump until the class list left lambda proxies
   * out.
   */
  @ParameterizedTest
  @ValueSource(strings = {"vault", "azure"})
  void aClassDataSharingArchive_isWrittenFromAServeRun_andUsedByTheLauncher(String cloud)
      throws Exception {
    Path home = home(cloud);
    Path archive = home.resolve("lib/app.jsa");
    try {
      assertThat(run(home.resolve("bin/create-cds-archive"), cloud))
          .contains("wrote " + archive.toAbsolutePath());
      assertThat(Files.size(archive)).isPositive();
      // The launcher maps it (an archive of another JVM would be refused, and -Xshare:auto would go
      // on without it).
      assertThat(run(home.resolve("bin/secrets-store-provider"), "version"))
          .startsWith("secrets-store-provider ");
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private static String run(Path launcher, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static Path home(String cloud) {
    return Path.of("target", "secrets-store-provider-" + cloud);
  }

  private static List<String> jars(String cloud) throws IOException {
    try (Stream<Path> files = Files.list(home(cloud).resolve("lib"))) {
      return files.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }
}
