// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretsstore.provider.emulators.TestClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;

/**
 * A minimal Vault HTTP client on the JDK's HttpClient, standing in for vault-java-driver in these
 * tests.
 */
final class VaultTestClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: status, raw body and the body parsed (a missing node when empty). */
  record Answer(int status, String body, JsonNode json) {
    JsonNode data() {
      return json.path("data");
    }
  }

  private final HttpClient http;
  private final URI base;
  private String token;
  private String namespace;

  private VaultTestClient(HttpClient http, URI base) {
    this.http = http;
    this.base = base;
  }

  static VaultTestClient plain(URI base) {
    return new VaultTestClient(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base);
  }

  static VaultTestClient trusting(URI base, Path pem) throws IOException, GeneralSecurityException {
    return new VaultTestClient(TestClients.trusting(pem), base);
  }

  VaultTestClient token(String value) {
    this.token = value;
    return this;
  }

  VaultTestClient namespace(String value) {
    this.namespace = value;
    return this;
  }

  /** Logs in and keeps the client token; fails the test unless the login succeeds. */
  String login(String authMount, String role, String jwt) throws IOException, InterruptedException {
    Answer answer = write("auth/" + authMount + "/login", Map.of("role", role, "jwt", jwt));
    if (answer.status() != 200) {
      throw new AssertionError("login failed: " + answer.status() + " " + answer.body());
    }
    token = answer.json().path("auth").path("client_token").asText();
    return token;
  }

  Answer read(String apiPath) throws IOException, InterruptedException {
    return send(request(apiPath).GET());
  }

  Answer write(String apiPath, Object body) throws IOException, InterruptedException {
    return send(
        request(apiPath)
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
  }

  Answer put(String apiPath, Object body) throws IOException, InterruptedException {
    return send(
        request(apiPath).PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
  }

  private HttpRequest.Builder request(String apiPath) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve("/v1/" + apiPath)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      builder.header("X-Vault-Token", token);
    }
    if (namespace != null) {
      builder.header("X-Vault-Namespace", namespace);
    }
    return builder;
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
    return new Answer(response.statusCode(), response.body(), json);
  }
}
