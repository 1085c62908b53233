// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.metrics.ProviderMetrics;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.SecretBackend;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A process's parts close in the reverse of their build order, also when the build fails half-way.
 */
class AssemblyTest {
  private final List<String> closed = new ArrayList<>();

  /** A backend that records its closing and serves nothing. */
  private final class ClosingBackend implements BackendFactory, SecretBackend {
    @Override
    public SecretBackend start(BackendContext context) {
      return this;
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public MountPlan<?> plan(MountRequestContext request) {
      throw new UnsupportedOperationException("never mounted");
    }

    @Override
    public void close() {
      closed.add("backend");
    }
  }

  /** A part that records its closing. */
  private AutoCloseable part(String name) {
    return () -> closed.add(name);
  }

  @Test
  void close_closesTheLastBuiltFirst_andEachPartOnce() throws Exception {
    Assembly parts = new Assembly();
    String result =
        parts.build(
            p -> {
              p.add("metrics", part("metrics"));
              p.add("backend", part("backend"));
              p.add("server", part("server"));
              return "serving";
            });
    assertThat(result).isEqualTo("serving");
    assertThat(closed).isEmpty();
    parts.close();
    parts.close();
    assertThat(closed).containsExactly("server", "backend", "metrics");
  }

  @Test
  void aFailedBuild_closesWhatWasBuilt_inReverse_andRethrows() {
    Assembly parts = new Assembly();
    IllegalArgumentException failure =
        new IllegalArgumentException("--health-addr :1: cannot listen there");
    assertThatThrownBy(
            () ->
                parts.build(
                    p -> {
                      p.add("metrics", part("metrics"));
                      p.add("backend", part("backend"));
                      throw failure;
                    }))
        .isSameAs(failure);
    assertThat(closed).containsExactly("backend", "metrics");
  }

  @Test
  void aPartThatFailsToClose_doesNotKeepTheOthersOpen() throws Exception {
    Assembly parts = new Assembly();
    parts.build(
        p -> {
          p.add("metrics", part("metrics"));
          p.add(
              "broken",
              "broken",
              () -> {
                throw new IllegalStateException("cannot close");
              });
          p.add("server", part("server"));
          return null;
        });
    parts.close();
    assertThat(closed).containsExactly("server", "metrics");
  }

  @Test
  void realParts_areClosed_whenALaterOneCannotBeBuilt() throws Exception {
    Assembly parts = new Assembly();
    int[] metricsPort = new int[1];
    assertThatThrownBy(
            () ->
                parts.build(
                    p -> {
                      ProviderMetrics metrics =
                          p.add("metrics", new ProviderMetrics("test", () -> 0));
                      metrics.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                      metricsPort[0] = metrics.port();
                      BackendStart.startIn(p, new ClosingBackend(), metrics);
                      return HostPort.parse("no-port-here", "--health-addr");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--health-addr");
    assertThat(closed).containsExactly("backend");
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), metricsPort[0]).close())
        .as("/metrics no longer listens")
        .isInstanceOf(ConnectException.class);
  }
}
