// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core's code names no backend: what differs per backend (its name, flags, settings, default token
 * audiences) is asked of its {@link BackendFactory}, so adding a backend changes no core file.
 * Scans core's main sources for string literals that are a backend's name or one of the backends'
 * token audiences (comments may name them).
 */
class CoreNamesNoBackendTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern BACKEND_LITERAL =
      Pattern.compile(
          "\"(vault|aws|azure|gcp|sts\\.amazonaws\\.com|pods\\.eks\\.amazonaws\\.com|api://AzureADTokenExchange|api://AKSIdentityBinding)\"");

  @Test
  void noStringLiteralInCore_isABackendNameOrAudience() throws IOException {
    assertThat(SOURCES.resolve("io/secretsstore/provider/spi/BackendFactory.java"))
        .as("run from provider-core")
        .exists();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          String code = lines.get(i).strip();
          if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
            continue;
          }
          if (BACKEND_LITERAL.matcher(code).find()) {
            found.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + code);
          }
        }
      }
    }
    assertThat(found).isEmpty();
  }

  /**
   * The scan finds what it looks for: the line SyncCommand had before backends named their
   * audiences.
   */
  @Test
  void theScan_findsTheFormerHardCodedAudiences() {
    assertThat(BACKEND_LITERAL.matcher("\"aws\", List.of(\"sts.amazonaws.com\"),").find()).isTrue();
    assertThat(BACKEND_LITERAL.matcher("context.getLogger(\"com.azure.core.http\")").find())
        .isFalse();
  }
}
