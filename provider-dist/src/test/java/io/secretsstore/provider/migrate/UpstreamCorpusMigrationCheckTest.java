// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate-check} over the upstream-shaped corpus ({@code upstream-corpus/<cloud>/}, mounted
 * for real by the corpus integration test): for every class, the check's verdict agrees with the
 * file's {@code # expect:} line, with the charts' default settings. A class expected to mount must
 * be reported as mounting (or, when the line names a flag, as needing exactly that setting); a
 * class expected to be refused must not be reported as mounting unchanged.
 */
class UpstreamCorpusMigrationCheckTest {
  private static final Pattern EXPECT =
      Pattern.compile("^#\\s*expect:\\s*(.*)$", Pattern.MULTILINE);
  private static final Pattern FLAG = Pattern.compile("--[a-z][a-z0-9-]+");
  private static final Pattern ARN_REGION =
      Pattern.compile("arn:aws[a-z-]*:(?:secretsmanager|ssm):([a-z0-9-]+):");
  private static final Pattern REFUSAL =
      Pattern.compile("refus|reject|invalid_argument|unauthenticated|failed_precondition|error");

  /**
   * Flags the check needs that the charts take from their values (GCP's cluster) rather than
   * defaults.
   */
  private static final List<String> GCP =
      List.of(
          "--gcp-project=corpus-project",
          "--gcp-cluster-location=us-central1",
          "--gcp-cluster-name=corpus",
          "--token-audience=corpus-project.svc.id.goog");

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> everyCorpusClass_isReportedAsItsExpectLineSays()
      throws IOException, URISyntaxException {
    URL root = getClass().getClassLoader().getResource("upstream-corpus");
    Assumptions.assumeTrue(
        root != null, "the upstream-shaped corpus is not on the test class path");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of(root.toURI()))) {
      files =
          walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    assertThat(files).isNotEmpty();
    // Azure's service-principal classes come with a nodePublishSecretRef.
    Path secret =
        MigrateCheckRun.servicePrincipalSecret(
            dir.resolve("node-publish-secret.yaml"), "placeholder");
    return files.stream()
        .filter(file -> expectation(file).isPresent())
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getParent().getFileName() + "/" + file.getFileName(),
                    () -> assertAgrees(file, expectation(file).get(), secret)));
  }

  private static Optional<String> expectation(Path file) {
    try {
      Matcher matcher = EXPECT.matcher(Files.readString(file));
      return matcher.find() ? Optional.of(matcher.group(1).trim()) : Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The region the node's label would give a class that names ARNs but no region: the ARNs' own
   * (the dry run cannot read the label).
   */
  private static Optional<String> awsRegion(Path file) {
    try {
      String text = Files.readString(file);
      Matcher arn = ARN_REGION.matcher(text);
      return text.contains("region:") || !arn.find() ? Optional.empty() : Optional.of(arn.group(1));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertAgrees(Path file, String expect, Path secret) {
    String cloud = file.getParent().getFileName().toString();
    List<String> args = new ArrayList<>();
    if (cloud.equals("gcp")) {
      args.addAll(GCP);
    }
    if (cloud.equals("aws")) {
      awsRegion(file).ifPresent(region -> args.add("--aws-region=" + region));
    }
    if (cloud.equals("azure")) {
      args.addAll(List.of("--node-publish-secret", secret.toString()));
    }
    MigrateCheckRun run = MigrateCheckRun.of(args, file);
    int code = run.code();
    String report = run.out();
    String header = report.lines().findFirst().orElse("");
    Matcher flag = FLAG.matcher(expect);
    boolean refusal = REFUSAL.matcher(expect.toLowerCase(Locale.ROOT)).find();
    if (flag.find()) {
      // Mounts once the operator sets the flag the line names, and only then.
      assertThat(header).as(report).endsWith("needs operator settings");
      assertThat(report).as(report).contains("  needs " + flag.group());
      assertThat(code).isEqualTo(1);
    } else if (refusal) {
      assertThat(header).as(report).doesNotEndWith("mounts unchanged");
      assertThat(code).isNotZero();
    } else {
      assertThat(header).as(report).endsWith("mounts unchanged");
      assertThat(code).isZero();
    }
  }
}
