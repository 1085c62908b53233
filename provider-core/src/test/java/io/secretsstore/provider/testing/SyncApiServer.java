// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.secretsstore.provider.kube.SyncResources;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kubernetes API for SecretSync tests: fabric8's mock server in CRUD mode, plus expectations for
 * what CRUD mode cannot do (TokenRequest), plus server-side apply, which the mock does not know: an
 * apply creates a missing object and merges into an existing one (enough for tests that apply with
 * one field manager). It counts the applies per object, so tests can prove "no write".
 */
public final class SyncApiServer implements AutoCloseable {
  private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
  private final Map<String, AtomicInteger> applies = new ConcurrentHashMap<>();
  private final Map<String, String> refusals = new ConcurrentHashMap<>();
  private final AtomicInteger secretReads = new AtomicInteger();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

  /**
   * Watches (WebSockets) open at the server, so closing can wait until every watcher has hung up.
   */
  private final AtomicInteger openWatches = new AtomicInteger();

  public SyncApiServer() {
    // The fake API server logs every object it stores, Secret data included; it is not the product.
    for (String logger :
        List.of(
            "io.fabric8.kubernetes.client.server.mock",
            "io.fabric8.mockwebserver",
            "io.netty",
            "io.vertx")) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(logger))
          .setLevel(ch.qos.logback.classic.Level.INFO);
    }
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), responses, new ApplyingDispatcher(), false);
    server.init();
    client = server.createClient();
  }

  public KubernetesClient client() {
    return client;
  }

  /** A second client of the same server (another controller replica). */
  public KubernetesClient newClient() {
    KubernetesClient another = server.createClient();
    clients.add(another);
    return another;
  }

  public KubernetesMockServer server() {
    return server;
  }

  /** TokenRequests for the service account answer with this token, valid for an hour. */
  public void serviceAccountToken(String namespace, String serviceAccount, String token) {
    server
        .expect()
        .post()
        .withPath(
            "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + serviceAccount + "/token")
        .andReturn(
            201,
            new TokenRequestBuilder()
                .withNewStatus()
                .withToken(token)
                .withExpirationTimestamp(Instant.now().plusSeconds(3600).toString())
                .endStatus()
                .build())
        .always();
  }

  /** Server-side applies of the Secret so far. */
  public int secretApplies(String namespace, String name) {
    return applies
        .getOrDefault("/api/v1/namespaces/" + namespace + "/secrets/" + name, new AtomicInteger())
        .get();
  }

  /** TokenRequests so far. */
  public int tokenRequests() {
    return tokenRequests.get();
  }

  /** GET requests for Secrets so far (by name or list). */
  public int secretReads() {
    return secretReads.get();
  }

  /**
   * From now on an apply of this Secret is refused with 403, as the API server refuses a write an
   * admission policy denies, with the API server's message format (which names the policy).
   */
  public void refuseApplyByPolicy(String namespace, String name, String policy) {
    refusals.put("/api/v1/namespaces/" + namespace + "/secrets/" + name, policy);
  }

  /** Creates a SecretProviderClass with these parameters. */
  public GenericKubernetesResource createProviderClass(
      String namespace, String name, String provider, Map<String, String> parameters) {
    GenericKubernetesResource spc = new GenericKubernetesResource();
    spc.setApiVersion(SyncResources.apiVersion(SyncResources.SECRET_PROVIDER_CLASS));
    spc.setKind("SecretProviderClass");
    spc.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    spc.setAdditionalProperty("spec", Map.of("provider", provider, "parameters", parameters));
    return client
        .genericKubernetesResources(SyncResources.SECRET_PROVIDER_CLASS)
        .inNamespace(namespace)
        .resource(spc)
        .create();
  }

  /** Creates a SecretSync with this {@code spec}. */
  public GenericKubernetesResource createSecretSync(
      String namespace, String name, Map<String, Object> spec) {
    GenericKubernetesResource sync = new GenericKubernetesResource();
    sync.setApiVersion(SyncResources.apiVersion(SyncResources.SECRET_SYNC));
    sync.setKind("SecretSync");
    sync.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    sync.setAdditionalProperty("spec", spec);
    return client
        .genericKubernetesResources(SyncResources.SECRET_SYNC)
        .inNamespace(namespace)
        .resource(sync)
        .create();
  }

  /** A SecretSync as stored now. */
  public GenericKubernetesResource secretSync(String namespace, String name) {
    return client
        .genericKubernetesResources(SyncResources.SECRET_SYNC)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  /** The spec of a SecretSync for one Opaque key. */
  public static Map<String, Object> opaqueSpec(
      String spc, String serviceAccount, String sourcePath, String targetKey) {
    return spec(
        spc,
        serviceAccount,
        "Opaque",
        List.of(Map.of("sourcePath", sourcePath, "targetKey", targetKey)));
  }

  /** The spec of a SecretSync. */
  public static Map<String, Object> spec(
      String spc, String serviceAccount, String type, List<Map<String, String>> data) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("secretProviderClassName", spc);
    spec.put("serviceAccountName", serviceAccount);
    spec.put("secretObject", Map.of("type", type, "data", data));
    return spec;
  }

  /** Watches open now (informers that have not hung up). */
  public int openWatches() {
    return openWatches.get();
  }

  /**
   * Closes the clients, waits (up to 30 s) until every watch has hung up, then stops the server:
   * stopping it under an open watch waits for the WebSocket's close and timed out under load
   * ("Unable to close MockWebServer"). Close what watches (controllers, informers) first.
   */
  @Override
  public void close() {
    client.close();
    clients.forEach(KubernetesClient::close);
    if (!Poll.until(Duration.ofSeconds(30), () -> openWatches.get() <= 0)) {
      System.err.println(
          openWatches.get()
              + " watches of the mock API server still open after 30 s; stopping it anyway");
    }
    server.destroy();
  }

  /** Mixed dispatch, with server-side apply mapped onto CRUD create and merge patch. */
  private final class ApplyingDispatcher extends KubernetesMixedDispatcher {
    ApplyingDispatcher() {
      super(responses);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String contentType = request.getHeader("Content-Type");
      String path = request.getPath().split("\\?")[0];
      if ("GET".equals(request.getMethod())
          && path.matches("/api/v1/(namespaces/[^/]+/)?secrets(/.*)?")) {
        secretReads.incrementAndGet();
      }
      if ("POST".equals(request.getMethod()) && path.endsWith("/token")) {
        tokenRequests.incrementAndGet();
      }
      if (!"PATCH".equals(request.getMethod())
          || contentType == null
          || !contentType.contains("apply-patch")) {
        MockResponse response = super.dispatch(request);
        if (response.getWebSocketListener() != null) {
          openWatches.incrementAndGet();
          response.withWebSocketUpgrade(new CountedWatch(response.getWebSocketListener()));
        }
        return response;
      }
      applies.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      String policy = refusals.get(path);
      if (policy != null) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String message =
            "secrets \\\""
                + name
                + "\\\" is forbidden: ValidatingAdmissionPolicy '"
                + policy
                + "' with binding '"
                + policy
                + "-binding' denied request: the controller may only write Secrets it owns";
        return new MockResponse()
            .setResponseCode(403)
            .setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"message\":\""
                    + message
                    + "\",\"reason\":\"Forbidden\",\"code\":403}");
      }
      byte[] body = request.getBody().getBytes();
      MockResponse existing =
          super.dispatch(
              new RecordedRequest(
                  "HTTP/1.1", HttpMethod.GET, path, request.getHeaders(), new Buffer()));
      if (existing.code() == 404) {
        String collection = path.substring(0, path.lastIndexOf('/'));
        io.fabric8.mockwebserver.http.Headers json =
            request.getHeaders().newBuilder().set("Content-Type", "application/json").build();
        return super.dispatch(
            new RecordedRequest("HTTP/1.1", HttpMethod.POST, collection, json, new Buffer(body)));
      }
      io.fabric8.mockwebserver.http.Headers merge =
          request
              .getHeaders()
              .newBuilder()
              .set("Content-Type", "application/merge-patch+json")
              .build();
      return super.dispatch(
          new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path, merge, new Buffer(body)));
    }
  }

  /** A watch's WebSocket listener that counts the watch open until its socket closes or fails. */
  private final class CountedWatch extends WebSocketListener {
    private final WebSocketListener watch;
    private final AtomicBoolean ended = new AtomicBoolean();

    CountedWatch(WebSocketListener watch) {
      this.watch = watch;
    }

    private void end() {
      if (ended.compareAndSet(false, true)) {
        openWatches.decrementAndGet();
      }
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      watch.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      watch.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      watch.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
      watch.onMessage(webSocket, bytes);
    }

    @Override
    public void onPing(WebSocket webSocket, byte[] bytes) {
      watch.onPing(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      watch.onClosing(webSocket, code, reason);
      end();
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      watch.onClosed(webSocket, code, reason);
      end();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
      watch.onFailure(webSocket, failure, response);
      end();
    }
  }
}
