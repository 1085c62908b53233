// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.emulators.EmulatorServer;
import io.secretsstore.provider.emulators.EmulatorTls;
import io.secretsstore.provider.emulators.ServerOptions;
import io.secretsstore.provider.mount.ProviderException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The identity-binding proxy's SNI name, derived from an API server certificate as upstream does.
 */
class ApiServerSniTest {
  @Test
  void serverName_isUpstreamsHashOfTheClusterId() {
    // Expected values computed independently (Python: base64.b32hexencode of SHA-256, lower case,
    // unpadded).
    assertThat(ApiServerSni.serverName("696995ccb303450001b31a18"))
        .isEqualTo("aeaf29ip1hi5q38ebc3u4daum81u0unk52t5bg50j25234fmuj78g.ests.aks");
    assertThat(ApiServerSni.serverName("abc123def456"))
        .isEqualTo("avimke6u6l2eeq8qc1cneuaq4sl2e1av9t4clqgun97le32hub670.ests.aks");
  }

  @Test
  void derive_readsTheClusterIdFromTheApiServersCertificate() throws Exception {
    EmulatorTls tls = EmulatorTls.generate();
    EmulatorTls apiServer =
        tls.forHosts(
            ApiServerSni.API_SERVER, "hcp-kubernetes.696995ccb303450001b31a18.svc.cluster.local");
    try (EmulatorServer server = EmulatorServer.start(ServerOptions.defaults(apiServer))) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.httpsUrl().getPort());
      assertThat(ApiServerSni.derive(tls.clientContext(), ApiServerSni.API_SERVER, address))
          .isEqualTo(ApiServerSni.serverName("696995ccb303450001b31a18"));
    }
    try (EmulatorServer server =
        EmulatorServer.start(ServerOptions.defaults(tls.forHosts(ApiServerSni.API_SERVER)))) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.httpsUrl().getPort());
      assertThatThrownBy(
              () -> ApiServerSni.derive(tls.clientContext(), ApiServerSni.API_SERVER, address))
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("--azure-token-proxy-sni-name");
    }
  }
}
