// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.secretsstore.provider.spi.BackendCalls;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;

/**
 * The calls to one Vault endpoint (address plus TLS settings) over one HTTP client.
 *
 * <p>Logins go through vault-java-driver. Secret requests use the
 * JDK HttpClient directly, because the driver cannot do what upstream does with them: its {@code
 * Rest} sends only GET, POST, PUT and DELETE (upstream passes any method, e.g. LIST), hides the
 * response headers (Retry-After is needed to back off on 429), decodes the body as a string in the
 * platform charset, and its {@code Logical} API reshapes the response, while upstream writes the
 * envelope whole with its numbers exactly as Vault sent them.
 */
final class VaultClient {
  /** The driver reads VAULT_TOKEN and friends from the environment; the provider must never use its own token. */
  private static final EnvironmentLoader NO_ENVIRONMENT = new EnvironmentLoader() {
    private static final long serialVersionUID = 1L;

    @Override
    public String loadVariable(String name) {
      return null;
    }
  };

  /** Twice the driver's default receive limit: anything larger could never be mounted, so it is not read. */
  static final int MAX_BODY_BYTES = 8 << 20;

  private final String address;
  private final HttpClient http;
  private final Duration timeout;
  private final BackendCalls calls;

  VaultClient(String address, TlsConfig tls, Duration timeout, BackendCalls calls) {
    this.address = Objects.requireNonNull(address, "address");
    this.timeout = timeout;
    this.calls = calls;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (address.startsWith("https:")) {
      builder.sslContext(TlsContexts.create(tls));
      if (!tls.serverName().isEmpty()) {
        SSLParameters parameters = new SSLParameters();
        parameters.setServerNames(java.util.List.of(new SNIHostName(tls.serverName())));
        builder.sslParameters(parameters);
      }
    }
    this.http = builder.build();
  }

  /** A raw Vault answer; the body is secret. */
  record Answer(int status, Optional<String> retryAfter, byte[] body) {
    @Override
    public String toString() {
      return "Answer[status=" + status + ", bytes=" + body.length + "]";
    }
  }

  /**
   * Sends one request.
   *
   * @param pathAndQuery the escaped path starting with {@code /v1/} and the encoded query, if any
   * @param body the JSON body, or null
   */
  Answer send(String method, String pathAndQuery, byte[] body, String token, String namespace) throws InterruptedException {
    return send(method, pathAndQuery, body, token, namespace, "read the secret");
  }

  private Answer send(String method, String pathAndQuery, byte[] body, String token, String namespace, String action)
      throws InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + pathAndQuery))
        .timeout(timeout)
        .header("X-Vault-Request", "true")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null && !token.isEmpty()) {
      request.header("X-Vault-Token", token);
    }
    if (!namespace.isEmpty()) {
      request.header("X-Vault-Namespace", namespace);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    String operation = operation(method, pathAndQuery);
    long start = System.nanoTime();
    try {
      HttpResponse<java.io.InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      calls.record(operation, outcome(response.statusCode()), Duration.ofNanos(System.nanoTime() - start));
      try (java.io.InputStream in = response.body()) {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
          throw ProviderException.of(ErrorKind.RESOURCE_EXHAUSTED,
              "Vault's response is larger than " + MAX_BODY_BYTES + " bytes, more than a mount can carry");
        }
        return new Answer(response.statusCode(), response.headers().firstValue("Retry-After"), bytes);
      }
    } catch (IOException e) {
      calls.record(operation, "unreachable", Duration.ofNanos(System.nanoTime() - start));
      throw VaultErrors.unreachable(action, e);
    }
  }

  /** The metric name of a call: a fixed word, never the secret path. */
  private static String operation(String method, String pathAndQuery) {
    if (pathAndQuery.startsWith("/v1/sys/health")) {
      return "health";
    }
    if (pathAndQuery.startsWith("/v1/sys/leases/renew")) {
      return "renew";
    }
    if (pathAndQuery.startsWith("/v1/sys/leases/revoke")) {
      return "revoke";
    }
    return method.equals("GET") ? "read" : "write";
  }

  private static String outcome(int status) {
    return status >= 200 && status < 300 ? "OK" : Integer.toString(status);
  }

  /**
   * Vault's own health: reachable and able to serve (active, standby or performance standby), or
   * why not. Unauthenticated, as Vault's {@code sys/health} is.
   */
  Optional<String> healthProblem(String namespace) throws InterruptedException {
    Answer answer;
    try {
      answer = send("GET", "/v1/sys/health", null, null, namespace, "check Vault's health");
    } catch (ProviderException e) {
      return Optional.of("Vault at " + address + " is unreachable");
    }
    return switch (answer.status()) {
      case 200, 429, 472, 473 -> Optional.empty();
      case 501 -> Optional.of("Vault at " + address + " is not initialized");
      case 503 -> Optional.of("Vault at " + address + " is sealed");
      default -> Optional.of("Vault at " + address + " answered its health check with HTTP " + answer.status());
    };
  }

  /**
   * Logs in with a JWT at {@code auth/<mount>/login} (Kubernetes and JWT auth share it).
   *
   * @return the token and its lease in seconds
   */
  VaultToken login(String mount, String role, String jwt, String namespace) {
    long start = System.nanoTime();
    String outcome = "OK";
    try {
      AuthResponse response = driver(null, namespace).auth().loginByJwt(mount, role, jwt);
      String token = response.getAuthClientToken();
      if (token == null || token.isEmpty()) {
        throw ProviderException.of(ErrorKind.PERMISSION_DENIED, "Vault's login answer held no token");
      }
      return new VaultToken(token, response.getAuthLeaseDuration());
    } catch (VaultException e) {
      outcome = e.getHttpStatusCode() > 0 ? Integer.toString(e.getHttpStatusCode()) : "unreachable";
      if (e.getHttpStatusCode() == 400) {
        // Kubernetes and JWT auth answer 400 for a role that does not bind this service account.
        throw ProviderException.of(ErrorKind.PERMISSION_DENIED, "Vault refused the login for the role (HTTP 400)");
      }
      throw driverFailure(e, "log in with the role at the auth mount");
    } finally {
      calls.record("login", outcome, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /**
   * Renews a lease at {@code /v1/sys/leases/renew}; returns Vault's answer (its new {@code
   * lease_duration}). Not through the driver: its {@code Leases} builds a fresh {@code Rest} without
   * the configured HTTP client, so the endpoint's TLS settings would not apply.
   */
  Optional<VaultSecret> renew(String leaseId, long incrementSeconds, String token, String namespace) throws InterruptedException {
    String body = "{\"increment\":" + incrementSeconds + ",\"lease_id\":" + GoJsonEncoder.encodeString(leaseId) + "}";
    Answer answer = send("PUT", "/v1/sys/leases/renew", body.getBytes(StandardCharsets.UTF_8), token, namespace, "renew a lease");
    if (answer.status() >= 300) {
      throw VaultErrors.fromStatus(answer.status(), "renew a lease", answer.retryAfter());
    }
    return VaultSecret.parse(answer.body());
  }

  /** Revokes a lease at {@code /v1/sys/leases/revoke} (not through the driver, as for renewal). */
  void revoke(String leaseId, String token, String namespace) throws InterruptedException {
    String body = "{\"lease_id\":" + GoJsonEncoder.encodeString(leaseId) + "}";
    Answer answer = send("PUT", "/v1/sys/leases/revoke", body.getBytes(StandardCharsets.UTF_8), token, namespace, "revoke a lease");
    if (answer.status() >= 300) {
      throw VaultErrors.fromStatus(answer.status(), "revoke a lease", answer.retryAfter());
    }
  }

  private Vault driver(String token, String namespace) throws VaultException {
    VaultConfig config = new VaultConfig()
        .environmentLoader(NO_ENVIRONMENT)
        .address(address)
        .httpClient(http)
        .engineVersion(1)
        .openTimeout((int) Math.max(1, timeout.toSeconds()))
        .readTimeout((int) Math.max(1, timeout.toSeconds()));
    if (token != null) {
      config.token(token);
    }
    if (!namespace.isEmpty()) {
      config.nameSpace(namespace);
    }
    return Vault.create(config.build());
  }

  private static ProviderException driverFailure(VaultException e, String action) {
    // The driver's message embeds Vault's response body: only the status is used.
    int status = e.getHttpStatusCode();
    if (status == 0) {
      return VaultErrors.unreachable(action, e.getCause() == null ? e : e.getCause());
    }
    return VaultErrors.fromStatus(status, action, Optional.empty());
  }
}
