// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.http.BoundedBody;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.BackendCalls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The calls to one Vault endpoint (address plus TLS settings), over the HTTP client its TLS
 * settings share with other addresses ({@link VaultHttpClients}).
 *
 * <p>Every call, the login included, uses the JDK HttpClient directly and reads at most a bounded
 * number of bytes of the answer: vault-java-driver reads bodies whole, so one address answering the
 * login with megabytes would exhaust the heap. The driver could not do what upstream does with
 * secret requests either: its {@code Rest} hides the response headers (Retry-After is needed to
 * back off on 429), decodes the body in the platform charset, and its {@code Logical} API reshapes
 * the response, while upstream writes the envelope whole with its numbers exactly as Vault sent
 * them.
 */
final class VaultClient {
  /**
   * Twice the driver's default receive limit: anything larger could never be mounted, so it is not
   * read.
   */
  static final int MAX_BODY_BYTES = 8 << 20;

  /** A login answer is a token and its policies, under 2 KiB in practice. */
  static final int MAX_LOGIN_BYTES = 64 << 10;

  /** Renewal, revocation and health answers carry no secret data. */
  private static final int MAX_SMALL_BYTES = 64 << 10;

  private final String address;
  private final HttpClient http;
  private final Duration timeout;
  private final BackendCalls calls;

  VaultClient(String address, HttpClient http, Duration timeout, BackendCalls calls) {
    this.address = Objects.requireNonNull(address, "address");
    this.http = Objects.requireNonNull(http, "http");
    this.timeout = timeout;
    this.calls = calls;
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
  Answer send(String method, String pathAndQuery, byte[] body, String token, String namespace)
      throws InterruptedException {
    return send(method, pathAndQuery, body, token, namespace, "read the secret", MAX_BODY_BYTES);
  }

  private Answer send(
      String method,
      String pathAndQuery,
      byte[] body,
      String token,
      String namespace,
      String action,
      int maxBytes)
      throws InterruptedException {
    HttpRequest.Builder request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(address + pathAndQuery))
              .timeout(timeout)
              .header("X-Vault-Request", "true")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      if (token != null && !token.isEmpty()) {
        request.header("X-Vault-Token", token);
      }
      if (!namespace.isEmpty()) {
        request.header("X-Vault-Namespace", namespace);
      }
    } catch (IllegalArgumentException e) {
      // Parameters are checked when the mount is planned; this is the client's own refusal.
      throw ProviderException.invalidArgument(
          "the request to "
              + action
              + " cannot be sent: check "
              + VaultParameters.NAMESPACE
              + ", the auth mount path and secretPath");
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    String operation = operation(method, pathAndQuery);
    long start = System.nanoTime();
    try {
      HttpResponse<InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      calls.record(
          operation, outcome(response.statusCode()), Duration.ofNanos(System.nanoTime() - start));
      byte[] bytes = BoundedBody.read(response, maxBytes);
      if (bytes == null) {
        throw ProviderException.of(
            ErrorKind.RESOURCE_EXHAUSTED,
            "Vault's answer to "
                + action
                + " is larger than "
                + maxBytes
                + " bytes, more than it can be ("
                + VaultParameters.ADDRESS
                + ")");
      }
      return new Answer(response.statusCode(), response.headers().firstValue("Retry-After"), bytes);
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
    if (pathAndQuery.startsWith("/v1/auth/") && pathAndQuery.endsWith("/login")) {
      return "login";
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
      answer =
          send(
              "GET",
              "/v1/sys/health",
              null,
              null,
              namespace,
              "check Vault's health",
              MAX_SMALL_BYTES);
    } catch (ProviderException e) {
      return Optional.of("Vault at " + address + " is unreachable");
    }
    return switch (answer.status()) {
      case 200, 429, 472, 473 -> Optional.empty();
      case 501 -> Optional.of("Vault at " + address + " is not initialized");
      case 503 -> Optional.of("Vault at " + address + " is sealed");
      default ->
          Optional.of(
              "Vault at " + address + " answered its health check with HTTP " + answer.status());
    };
  }

  /**
   * Logs in with a JWT at {@code auth/<mount>/login} (Kubernetes and JWT auth share it), as the
   * driver's {@code loginByJwt} does, but reading at most {@link #MAX_LOGIN_BYTES} of the answer.
   *
   * @param mount the auth mount path, already checked by {@link VaultPaths}
   * @return the token and its lease in seconds
   */
  VaultToken login(String mount, String role, String jwt, String namespace) {
    String body =
        "{\"jwt\":"
            + GoJsonEncoder.encodeString(jwt)
            + ",\"role\":"
            + GoJsonEncoder.encodeString(role)
            + "}";
    Answer answer;
    try {
      answer =
          send(
              "POST",
              "/v1/auth/" + SecretRequest.escapePath(mount) + "/login",
              body.getBytes(StandardCharsets.UTF_8),
              null,
              namespace,
              "log in with the role at the auth mount",
              MAX_LOGIN_BYTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(ErrorKind.CANCELLED, "interrupted while logging in to Vault");
    }
    if (answer.status() == 400) {
      // Kubernetes and JWT auth answer 400 for a role that does not bind this service account.
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED, "Vault refused the login for the role (HTTP 400)");
    }
    if (answer.status() >= 300) {
      throw VaultErrors.fromStatus(
          answer.status(), "log in with the role at the auth mount", answer.retryAfter());
    }
    return VaultToken.fromLoginAnswer(answer.body());
  }

  /**
   * Renews a lease at {@code /v1/sys/leases/renew}; returns Vault's answer (its new {@code
   * lease_duration}). Not through the driver: its {@code Leases} builds a fresh {@code Rest}
   * without the configured HTTP client, so the endpoint's TLS settings would not apply.
   */
  Optional<VaultSecret> renew(String leaseId, long incrementSeconds, String token, String namespace)
      throws InterruptedException {
    String body =
        "{\"increment\":"
            + incrementSeconds
            + ",\"lease_id\":"
            + GoJsonEncoder.encodeString(leaseId)
            + "}";
    Answer answer =
        send(
            "PUT",
            "/v1/sys/leases/renew",
            body.getBytes(StandardCharsets.UTF_8),
            token,
            namespace,
            "renew a lease",
            MAX_SMALL_BYTES);
    if (answer.status() >= 300) {
      throw VaultErrors.fromStatus(answer.status(), "renew a lease", answer.retryAfter());
    }
    return VaultSecret.parse(answer.body());
  }

  /** Revokes a lease at {@code /v1/sys/leases/revoke} (not through the driver, as for renewal). */
  void revoke(String leaseId, String token, String namespace) throws InterruptedException {
    String body = "{\"lease_id\":" + GoJsonEncoder.encodeString(leaseId) + "}";
    Answer answer =
        send(
            "PUT",
            "/v1/sys/leases/revoke",
            body.getBytes(StandardCharsets.UTF_8),
            token,
            namespace,
            "revoke a lease",
            MAX_SMALL_BYTES);
    if (answer.status() >= 300) {
      throw VaultErrors.fromStatus(answer.status(), "revoke a lease", answer.retryAfter());
    }
  }
}
