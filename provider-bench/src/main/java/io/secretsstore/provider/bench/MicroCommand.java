// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import java.util.Collection;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the JMH microbenchmarks of {@link MicroBenchmarks} in a forked JVM and writes JMH's JSON.
 */
@Command(name = "micro", description = "JMH microbenchmarks of the hot paths that are pure code.")
final class MicroCommand implements Callable<Integer> {
  @Option(
      names = "--seconds",
      defaultValue = "1",
      description = "Seconds per warm-up and measurement iteration (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--out",
      defaultValue = "provider-bench/target",
      description = "Directory for the JSON result (default: ${DEFAULT-VALUE}).")
  String out;

  @Override
  public Integer call() throws Exception {
    Options options =
        new OptionsBuilder()
            .include(MicroBenchmarks.class.getName() + "\\.")
            .forks(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(seconds))
            .measurementIterations(3)
            .measurementTime(TimeValue.seconds(seconds))
            .resultFormat(ResultFormatType.JSON)
            .result(out + "/bench-micro-" + System.currentTimeMillis() + ".json")
            .build();
    Collection<RunResult> results = new Runner(options).run();
    return results.isEmpty() ? 1 : 0;
  }
}
