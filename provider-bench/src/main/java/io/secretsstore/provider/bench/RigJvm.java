// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The JIT of the bench's own JVM, which runs the emulator (standing in for a cloud whose CPUs are
 * elsewhere) and the client. With C2, its compiler threads kept compiling through the cold Mounts
 * that follow the storm (1.07 s of CPU per 10 s, more than the provider's whole process used, about
 * 0.65 s), on the same two cores as the provider, and that showed in the provider's latencies.
 * {@code run} therefore runs in a JVM limited to C1, like the provider's: it starts one unless this
 * JVM already is, or {@value #KEEP} is set in the environment. To record the bench itself with JFR,
 * start it C1-only ({@code java -XX:TieredStopAtLevel=1 -XX:StartFlightRecording=... -jar
 * provider-bench.jar run ...}): a JVM that relaunches would pass the recording's file to the child
 * and then overwrite it with its own, nearly empty one.
 */
final class RigJvm {
  static final String KEEP = "BENCH_RIG_KEEP_JIT";
  private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

  private RigJvm() {}

  /** Whether {@code run} should start again in a C1-only JVM. */
  static boolean shouldRelaunch(String[] args) {
    return args.length > 0 && "run".equals(args[0]) && !c1Only() && System.getenv(KEEP) == null;
  }

  /** "C1 only" or "C1 and C2", for the results. */
  static String describe() {
    return c1Only() ? "C1 only" : "C1 and C2";
  }

  private static boolean c1Only() {
    return "1"
        .equals(
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("TieredStopAtLevel")
                .getValue());
  }

  /** Runs the same command in a C1-only JVM with this JVM's options, and returns its exit code. */
  static int relaunch(String[] args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add(C1_ONLY);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchMain.class.getName());
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).inheritIO().start();
    // A launcher stopped by a signal stops the run too, rather than leaving it on the cores.
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
    return child.waitFor();
  }
}
