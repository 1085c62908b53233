// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.audit.FingerprintReport;
import io.secretsstore.provider.text.TextTable;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reports secret values reused under several names, namespaces or backends, from audit logs. */
@Command(
    name = "fingerprints",
    mixinStandardHelpOptions = true,
    description =
        "Report secret values served under more than one backend/namespace/object, from audit logs (by keyed fingerprint; no value is read).")
final class FingerprintsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "AUDIT_LOG",
      description = "Audit log files (JSON lines).")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    FingerprintReport report = new FingerprintReport();
    for (Path file : files) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        report.read(reader);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%d object accesses, %d distinct values, %d reused under more than one owner%n",
        report.events(), report.distinctValues(), report.reuses().size());
    for (FingerprintReport.Reuse reuse : report.reuses()) {
      out.println();
      out.println(reuse.fingerprint() + " served under " + reuse.owners().size() + " owners:");
      TextTable table = new TextTable("BACKEND", "NAMESPACE/OBJECT");
      for (String owner : reuse.owners()) {
        String[] parts = owner.split(" ", 2);
        table.add(parts[0], parts[1]);
      }
      table.print(out);
    }
    if (report.skipped() > 0) {
      out.println();
      out.println(report.skipped() + " line(s) were not audit events and were skipped");
    }
    out.flush();
    return 0;
  }
}
