// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmark harness: {@code java -jar provider-bench/target/provider-bench.jar run --cloud
 * vault} (every scenario end to end) or {@code cache} (the mount engine in process).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {SocketBenchmark.class, CacheBenchmark.class, MicroCommand.class},
    description = "Benchmarks of secrets-store-provider.")
public final class BenchMain {
  public static void main(String[] args) throws Exception {
    if (RigJvm.shouldRelaunch(args)) {
      System.exit(RigJvm.relaunch(args));
    }
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
