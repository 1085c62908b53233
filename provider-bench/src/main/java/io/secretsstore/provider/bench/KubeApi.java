// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes API of the provider process (fabric8's mock server in CRUD mode), optionally
 * holding a large cluster's service accounts ({@code sa-<i>} in namespaces {@code ns-<i % 500>},
 * each with a Google service-account annotation), answered without storing them. It counts the
 * service-account requests: GETs by name (and the distinct names asked for) and lists or watches.
 */
final class KubeApi implements AutoCloseable {
  private static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");
  private static final Pattern BY_NAME =
      Pattern.compile("/api/v1/namespaces/([^/]+)/serviceaccounts/([^/?]+)(\\?.*)?");
  private static final Pattern NAMESPACE = Pattern.compile("ns-(\\d+)");
  private static final Pattern NAME = Pattern.compile("sa-(\\d+)");
  static final int NAMESPACES = 500;

  private final KubernetesMockServer server;
  private final int serviceAccounts;
  private final AtomicLong gets = new AtomicLong();
  private final AtomicLong listsAndWatches = new AtomicLong();
  private final Set<String> distinct = ConcurrentHashMap.newKeySet();

  /** An API holding {@code serviceAccounts} synthetic service accounts (0: an empty API). */
  KubeApi(int serviceAccounts) {
    this.serviceAccounts = serviceAccounts;
    // The mock logs every request at INFO through java.util.logging, among the bench's tables.
    QUIET.setLevel(Level.WARNING);
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new Dispatcher(), false);
    server.init();
  }

  /** The environment that points fabric8's auto-configuration in the provider at this API only. */
  Map<String, String> environment() {
    return Map.of(
        "KUBERNETES_MASTER",
        server.url("/"),
        "KUBERNETES_AUTH_TRYKUBECONFIG",
        "false",
        "KUBERNETES_AUTH_TRYSERVICEACCOUNT",
        "false",
        "KUBERNETES_NAMESPACE",
        "secrets-store-provider");
  }

  /** Service-account GETs by name so far. */
  long gets() {
    return gets.get();
  }

  /** What the API was asked about service accounts, for the JSON result. */
  Map<String, Object> counts() {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("serviceAccountsHeld", serviceAccounts);
    counts.put("getsByName", gets.get());
    counts.put("distinctServiceAccountsAskedFor", distinct.size());
    counts.put("listsAndWatches", listsAndWatches.get());
    return counts;
  }

  @Override
  public void close() {
    server.destroy();
  }

  /** Whether {@code namespace/name} is one of the synthetic accounts. */
  private boolean held(String namespace, String name) {
    Matcher ns = NAMESPACE.matcher(namespace);
    Matcher sa = NAME.matcher(name);
    if (!ns.matches() || !sa.matches()) {
      return false;
    }
    long index = Long.parseLong(sa.group(1));
    return index < serviceAccounts && index % NAMESPACES == Long.parseLong(ns.group(1));
  }

  private static String serviceAccountJson(String namespace, String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\""
        + namespace
        + "\",\"resourceVersion\":\"1\",\"annotations\":{\"iam.gke.io/gcp-service-account\":\""
        + name
        + "@example.iam.gserviceaccount.com\"}}}";
  }

  /** CRUD for everything else; service accounts counted, the synthetic ones answered. */
  private final class Dispatcher extends KubernetesCrudDispatcher {
    @Override
    public MockResponse handleGet(String path) {
      Matcher byName = BY_NAME.matcher(path);
      if (byName.matches()) {
        gets.incrementAndGet();
        distinct.add(byName.group(1) + "/" + byName.group(2));
        if (held(byName.group(1), byName.group(2))) {
          return new MockResponse()
              .setResponseCode(200)
              .setBody(serviceAccountJson(byName.group(1), byName.group(2)));
        }
      } else if (path.contains("/serviceaccounts")) {
        listsAndWatches.incrementAndGet();
        if (serviceAccounts > 0) {
          return new MockResponse().setResponseCode(200).setBody(list());
        }
      }
      return super.handleGet(path);
    }

    @Override
    public MockResponse handleWatch(String path) {
      if (path.contains("/serviceaccounts")) {
        listsAndWatches.incrementAndGet();
      }
      return super.handleWatch(path);
    }

    /** Every synthetic account, as a cluster-wide list (what an informer would load). */
    private String list() {
      StringBuilder items =
          new StringBuilder(
              "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccountList\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[");
      for (int i = 0; i < serviceAccounts; i++) {
        items
            .append(i == 0 ? "" : ",")
            .append(serviceAccountJson("ns-" + (i % NAMESPACES), "sa-" + i));
      }
      return items.append("]}").toString();
    }
  }
}
