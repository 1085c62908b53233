// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The charts under test, rendered with the real Helm engine (helm-java).
 *
 * <p>The chart sources are copied once per test JVM into {@code target/charts-under-test} and each
 * application chart's {@code file://../secrets-store-provider-lib} dependency is vendored there
 * with {@code helm dependency update}, so the source tree never holds packaged dependencies.
 */
final class Charts {
  static final String RELEASE = "ssp";
  static final String NAMESPACE = "secrets-store";

  private static final Path SOURCE = Path.of(System.getProperty("charts.source", "."));
  private static final Path WORK =
      Path.of(System.getProperty("charts.work", "target/charts-under-test"));
  private static Map<Backend, Path> prepared;

  private Charts() {}

  /** The chart directory of a backend, with its library dependency vendored. */
  static synchronized Path chart(Backend backend) {
    if (prepared == null) {
      prepared = prepare();
    }
    return prepared.get(backend);
  }

  /** The scratch directory holding the copied charts. */
  static Path workDir() {
    return WORK;
  }

  /** The committed source directory of a chart (for reading values.yaml and the schema). */
  static Path source(String chartDir) {
    return SOURCE.resolve(chartDir);
  }

  /** Renders a chart with the given values files (later ones win) and parses every document. */
  static Manifests render(Backend backend, Path... valuesFiles) {
    return renderIn(NAMESPACE, backend, valuesFiles);
  }

  /** Renders a chart into another release namespace. */
  static Manifests renderIn(String namespace, Backend backend, String valuesYaml) {
    return renderIn(namespace, backend, valuesFile(valuesYaml));
  }

  private static Manifests renderIn(String namespace, Backend backend, Path... valuesFiles) {
    var template = new Helm(chart(backend)).template().withName(RELEASE).withNamespace(namespace);
    for (Path values : valuesFiles) {
      template = template.withValuesFile(values);
    }
    return Manifests.parse(template.call());
  }

  /** Renders a chart with values given as YAML text. */
  static Manifests render(Backend backend, String valuesYaml) {
    return render(backend, valuesFile(valuesYaml));
  }

  /**
   * {@code helm lint --strict} of a chart with its own values (helm-java 0.0.21 lint takes no
   * values files).
   */
  static LintResult lintStrict(Backend backend) {
    return new Helm(chart(backend)).lint().strict().call();
  }

  /**
   * {@code helm lint --strict} of a copy of the chart whose values.yaml has the given YAML appended
   * (helm-java's lint takes no values files).
   */
  static LintResult lintStrictWithValuesAppended(Backend backend, String yaml) {
    try {
      Path scratch = Files.createDirectories(WORK.resolveSibling("chart-values"));
      Path copy = Files.createTempDirectory(scratch, "lint-").resolve(backend.chart());
      copyTree(chart(backend), copy);
      Path values = copy.resolve("values.yaml");
      Files.writeString(values, Files.readString(values) + "\n" + yaml + "\n");
      return new Helm(copy).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A values file of src/test/resources/values, or null when that file does not exist. */
  static Path testValues(String name) {
    Path file = SOURCE.resolve("src/test/resources/values").resolve(name);
    return Files.exists(file) ? file : null;
  }

  /** Every option on: the common file plus the backend's own file when there is one. */
  static Manifests renderEverythingOn(Backend backend) {
    Path own = testValues(backend.id() + "-everything-on.yaml");
    return own == null
        ? render(backend, testValues("everything-on.yaml"))
        : render(backend, testValues("everything-on.yaml"), own);
  }

  /** The NOTES.txt an install would print (client-only dry run, no cluster). */
  static String notes(Backend backend, String valuesYaml) {
    return new Helm(chart(backend))
        .install()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withValuesFile(valuesFile(valuesYaml))
        .clientOnly()
        .dryRun()
        .call()
        .getOutput();
  }

  /** Writes YAML text to a temporary values file. */
  static Path valuesFile(String yaml) {
    try {
      Path dir = WORK.resolveSibling("chart-values");
      Files.createDirectories(dir);
      Path file = Files.createTempFile(dir, "values-", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<Backend, Path> prepare() {
    try {
      deleteRecursively(WORK);
      Files.createDirectories(WORK);
      copyChart("secrets-store-provider-lib");
      Map<Backend, Path> charts = new EnumMap<>(Backend.class);
      for (Backend backend : Backend.values()) {
        Path chart = copyChart(backend.chart());
        new Helm(chart).dependency().update().call();
        charts.put(backend, chart);
      }
      return charts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path copyChart(String name) throws IOException {
    return copyTree(SOURCE.resolve(name), WORK.resolve(name));
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(from)) {
      files = new ArrayList<>(walk.toList());
    }
    for (Path file : files) {
      Path target = to.resolve(from.relativize(file).toString());
      if (Files.isDirectory(file)) {
        Files.createDirectories(target);
      } else {
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return to;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = new ArrayList<>(walk.toList());
    }
    for (int i = files.size() - 1; i >= 0; i--) {
      Files.delete(files.get(i));
    }
  }
}
