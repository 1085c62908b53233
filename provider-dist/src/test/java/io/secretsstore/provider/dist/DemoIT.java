// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo the README's first command runs: every backend with a demo mounts end to end. */
class DemoIT {
  @Test
  void demo_mountsTheSampleSecretProviderClassOfEachBackend() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("demo");
    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains("== vault")
        .contains("db-password").contains("db-username").contains("config.json")
        .contains("== aws").contains("demo_db").contains("_demo_api-key")
        .contains("== gcp").contains("api-key")
        .contains("== azure").contains("web-tls").contains("signing-key")
        .contains("served from the cache")
        .contains("demo finished: 4 backend(s) mounted");
    // Every backend's second mount of the same pod is answered from the cache.
    assertThat(out.toString().split("same pod again: [0-9.]+ ms, 0 calls", -1)).hasSize(5);
  }
}
