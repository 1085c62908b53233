// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The requests a fabric8 mock API server received, for tests that count Kubernetes API calls. */
public final class KubeRequests {
  private KubeRequests() {}

  /**
   * The paths of the GET requests received since the last call (and takes them off the server's
   * queue).
   */
  public static List<String> takeGets(KubernetesMockServer server) throws InterruptedException {
    List<String> paths = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      if ("GET".equals(request.getMethod())) {
        paths.add(request.getPath());
      }
    }
    return paths;
  }
}
