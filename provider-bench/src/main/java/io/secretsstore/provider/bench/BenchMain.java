// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The benchmark harness: {@code java -jar provider-bench/target/provider-bench.jar cache}. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = CacheBenchmark.class,
    description = "Benchmarks of secrets-store-provider.")
public final class BenchMain {
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
