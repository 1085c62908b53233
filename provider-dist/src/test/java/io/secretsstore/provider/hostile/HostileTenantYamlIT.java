// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.yaml.YamlLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18 points 1 and 2 on every backend's real distribution (its launcher's 64 MiB heap and exit
 * on OutOfMemoryError): hostile {@code objects}/{@code secrets} documents (too large, too many
 * nodes, too deep) are refused as INVALID_ARGUMENT naming the parameter by core's bounded YAML
 * loader before anything large is built, while another tenant keeps mounting and a document just
 * under the size limit still mounts.
 */
class HostileTenantYamlIT {
  /**
   * The slowest a victim's mount may be during an attack (unharmed mounts take tens of
   * milliseconds).
   */
  private static final Duration VICTIM_BOUND = Duration.ofSeconds(15);

  private static final int VICTIM_SECRETS = 50;

  private HostileProvider provider;

  @AfterEach
  void stop() throws Exception {
    if (provider != null) {
      provider.close();
    }
  }

  private void start(String cloud) throws Exception {
    provider = HostileProvider.start(cloud);
    for (int i = 0; i < VICTIM_SECRETS; i++) {
      provider.backend().put("v-" + i, Canaries.SECRET + "-v-" + i);
    }
    provider.backend().put("a-ok", Canaries.SECRET + "-a-ok");
    // The first mount starts the provider's clients and logs in; on a loaded machine that is slow.
    provider.client().mount(provider.victim().mount("v-0"), Duration.ofSeconds(90));
  }

  private VictimLoad victimLoad() {
    return VictimLoad.start(
        provider.client(), 2, n -> provider.victim().mount("v-" + n % VICTIM_SECRETS));
  }

  private static String parameter(String cloud) {
    return cloud.equals("gcp") ? "secrets" : "objects";
  }

  /** The attacker's mount of this document as its objects parameter. */
  private void assertRefused(String cloud, String document) {
    provider.assertRejected(
        provider.attacker().withObjects(Map.of(), document), "INVALID_ARGUMENT", parameter(cloud));
  }

  /**
   * A valid objects document of the backend's own shape, padded to {@code chars} with entries
   * naming the same object.
   */
  private String objectsOf(int chars) {
    String one = provider.backend().objects("a-ok");
    StringBuilder document = new StringBuilder(one);
    while (document.length() < chars) {
      document
          .append('\n')
          .append(one.startsWith("array:") ? one.substring(one.indexOf('\n') + 1) : one);
    }
    return document.toString();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"aws", "azure", "gcp", "vault"})
  @DisplayName(
      "point 1: 768 KiB, 8 concurrent 128 KiB, 1 MB flow lists and 100k-key maps are refused naming the parameter; "
          + "the provider stays up and another tenant mounts")
  void largeDocumentsAreRefusedBeforeTheyAreBuilt(String cloud) throws Exception {
    start(cloud);
    VictimLoad victim = victimLoad();
    assertRefused(cloud, objectsOf(768 * 1024));
    ExecutorService attackers = Executors.newFixedThreadPool(16);
    try {
      // Realistic entries (120 KiB: under the size bound; over the node bound, so nodes are built
      // up
      // to it, or for GCP's five-node entries within it and then over --max-objects, whose message
      // counts "objects") and tiny ones (128 KiB of one-character items), eight of each at once.
      String entries = objectsOf(120 * 1024);
      String tiny = "- a\n".repeat(32 * 1024);
      List<Future<?>> mounts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        mounts.add(
            attackers.submit(
                () ->
                    provider.assertRejected(
                        provider.attacker().withObjects(Map.of(), entries),
                        "INVALID_ARGUMENT",
                        "objects")));
        mounts.add(attackers.submit(() -> assertRefused(cloud, tiny)));
      }
      for (Future<?> mount : mounts) {
        mount.get(120, TimeUnit.SECONDS);
      }
    } finally {
      attackers.shutdownNow();
    }
    assertRefused(cloud, "[" + "a,".repeat(512 * 1024) + "a]");
    StringBuilder keys = new StringBuilder("{");
    for (int i = 0; i < 100_000; i++) {
      keys.append('k').append(i).append(": 1, ");
    }
    assertRefused(cloud, keys.append('}').toString());
    // Under the size limit, the key count alone refuses it.
    StringBuilder small = new StringBuilder();
    for (int i = 0; i < 12_000; i++) {
      small.append('k').append(Integer.toString(i, 36)).append(": 1\n");
    }
    assertThat(small.length()).isLessThan(YamlLimits.PARAMETER.maxChars());
    assertRefused(cloud, small.toString());

    // The largest document accepted: one object padded with a comment to just under the limit.
    String one = provider.backend().objects("a-ok");
    String largest = one + "\n#" + "x".repeat(YamlLimits.PARAMETER.maxChars() - one.length() - 2);
    assertThat(largest).hasSize(YamlLimits.PARAMETER.maxChars());
    MountReply reply =
        provider.client().mount(provider.attacker().withObjects(Map.of(), largest), VICTIM_BOUND);
    assertThat(reply.files()).hasSize(1);

    VictimLoad.Outcome outcome = victim.stop();
    provider.report("point 1 (768 KiB, 8 x 128 KiB, 1 MB flow list, 100k-key maps)", outcome);
    outcome.assertUnharmed(VICTIM_BOUND);
    provider.assertUpAndNothingLeaked();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"aws", "azure", "gcp", "vault"})
  @DisplayName(
      "point 2: documents nested 100k deep are INVALID_ARGUMENT naming the parameter, never a StackOverflowError")
  void deepDocumentsAreRefusedWithoutOverflowingTheStack(String cloud) throws Exception {
    start(cloud);
    VictimLoad victim = victimLoad();
    // Nested 100k deep, unterminated so that it stays within the size bound and reaches the depth
    // check.
    assertRefused(cloud, "[".repeat(100_000));
    assertRefused(cloud, "{a: ".repeat(30_000));
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      block.append(" ".repeat(i)).append("- \n");
    }
    assertRefused(cloud, block.toString());
    if (cloud.equals("azure")) {
      // Azure's elements are YAML documents of their own, parsed under the same bounds.
      assertRefused(cloud, "array:\n  - '" + "[".repeat(10_000) + "'\n");
    }
    VictimLoad.Outcome outcome = victim.stop();
    provider.report("point 2 (100k-deep nesting)", outcome);
    outcome.assertUnharmed(VICTIM_BOUND);
    provider.assertUpAndNothingLeaked();
  }
}
