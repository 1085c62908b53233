// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the Dockerfile promises and no container engine checks here: bases pinned by digest, a final
 * stage that runs nothing (its base has no shell) as the charts' non-root user, and the runtime
 * built by the same script and module list TrimmedRuntimeIT builds from.
 */
class DockerfileTest {
  private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile");

  private static List<String> instructions() throws IOException {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(DOCKERFILE)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      current.append(line.strip());
      if (line.endsWith("\\")) {
        current.setLength(current.length() - 1);
      } else {
        instructions.add(current.toString());
        current.setLength(0);
      }
    }
    return instructions;
  }

  @Test
  void bothBaseImagesArePinnedByDigest() throws IOException {
    List<String> bases =
        instructions().stream().filter(i -> i.startsWith("ARG ") && i.contains("_IMAGE=")).toList();

    assertThat(bases)
        .hasSize(2)
        .allMatch(i -> i.matches("ARG \\w+_IMAGE=[^@\\s]+:[^@\\s]+@sha256:[0-9a-f]{64}"));
    assertThat(bases).anyMatch(i -> i.contains("distroless/java-base-debian12:nonroot@"));
    assertThat(Files.readString(DOCKERFILE)).contains("To refresh a pin");
  }

  @Test
  void theFinalStageRunsNothing_asTheChartsNonRootUser_withTheCliAsEntrypoint() throws IOException {
    List<String> instructions = instructions();
    List<String> last =
        instructions.subList(
            instructions.lastIndexOf(
                instructions.stream()
                    .filter(i -> i.startsWith("FROM "))
                    .reduce((a, b) -> b)
                    .orElseThrow()),
            instructions.size());

    assertThat(last.get(0)).isEqualTo("FROM ${RUNTIME_IMAGE}");
    assertThat(last).noneMatch(i -> i.startsWith("RUN "));
    assertThat(last).contains("USER 65532:65532");
    String entrypoint =
        last.stream().filter(i -> i.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    assertThat(entrypoint)
        .startsWith(
            "ENTRYPOINT [\"/opt/jre/bin/java\", \"@/opt/secrets-store-provider/bin/jvm.options\"")
        .contains("-XX:SharedArchiveFile=/opt/secrets-store-provider/lib/app.jsa")
        .endsWith("\"io.secretsstore.provider.cli.Main\"]");
    assertThat(Path.of("src/main/dist/bin/jvm.options")).isRegularFile();
  }

  @Test
  void theBuildStageBuildsTheRuntimeWithTheScriptAndListTheTestsUse_andKeepsTheArchive()
      throws IOException {
    List<String> instructions = instructions();

    assertThat(instructions)
        .contains("COPY src/main/jlink/ /build/jlink/", "RUN /build/jlink/jlink-runtime /opt/jre");
    assertThat(instructions)
        .anyMatch(
            i ->
                i.startsWith(
                    "RUN JAVA_HOME=/opt/jre /opt/secrets-store-provider/bin/create-cds-archive"));
    assertThat(Path.of("src/main/jlink/modules")).isRegularFile();
    assertThat(Files.isExecutable(Path.of("src/main/jlink/jlink-runtime"))).isTrue();
  }
}
