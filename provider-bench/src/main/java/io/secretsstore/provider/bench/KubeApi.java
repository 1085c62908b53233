// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An empty Kubernetes API (fabric8's mock server in CRUD mode) for the provider process, as a node
 * would have: backends that read service-account annotations (gcp) list and watch it, find no
 * annotation, and so use the pod's own identity.
 */
final class KubeApi implements AutoCloseable {
  private static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");
  private final KubernetesMockServer server;

  KubeApi() {
    // The mock logs every request at INFO through java.util.logging, among the bench's tables.
    QUIET.setLevel(Level.WARNING);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init();
  }

  /** The environment that points fabric8's auto-configuration in the provider at this API only. */
  Map<String, String> environment() {
    return Map.of("KUBERNETES_MASTER", server.url("/"),
        "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
        "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false",
        "KUBERNETES_NAMESPACE", "secrets-store-provider");
  }

  @Override
  public void close() {
    server.destroy();
  }
}
