// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import com.azure.core.credential.AccessToken;
import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.http.BoundedBody;
import io.secretsstore.provider.json.JsonLongs;
import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The node's token sources over plain HTTP: the Instance Metadata Service's managed-identity
 * endpoint and AAD Pod Identity's NMI. Both answer the MSI token format (NMI wraps it in {@code
 * token} beside {@code clientid}).
 *
 * <p>Why not azure-identity's ManagedIdentityCredential: it delegates to MSAL4J, which takes the
 * IMDS address only from the process environment ({@code AZURE_POD_IDENTITY_AUTHORITY_HOST}) and
 * keeps managed-identity tokens in a process-wide static cache that a refused token cannot be
 * evicted from; the call itself is one GET, made here with the provider's own timeouts.
 */
final class NodeTokenSources {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_RESPONSE = 64 * 1024;
  private static final String IMDS_PATH = "/metadata/identity/oauth2/token";
  private static final String IMDS_API_VERSION = "2018-02-01";

  private NodeTokenSources() {}

  /** The node's managed identity, user-assigned when {@code clientId} is not empty. */
  static CachedTokenCredential.Login managedIdentity(HttpClient http, URI imds, String clientId) {
    return request -> {
      String query =
          "api-version="
              + IMDS_API_VERSION
              + "&resource="
              + encode(resource(request.getScopes().get(0)))
              + (clientId.isEmpty() ? "" : "&client_id=" + encode(clientId));
      URI uri = URI.create(imds.toString().replaceAll("/+$", "") + IMDS_PATH + "?" + query);
      JsonNode body =
          get(
              http,
              HttpRequest.newBuilder(uri).header("Metadata", "true"),
              "the managed identity endpoint (IMDS)",
              clientId.isEmpty()
                  ? "the node has no system-assigned managed identity"
                  : "the node has no managed identity with the client id of userAssignedIdentityID");
      return token(body, "the managed identity endpoint (IMDS)");
    };
  }

  /** AAD Pod Identity: NMI answers for the pod named in the headers. */
  static CachedTokenCredential.Login podIdentity(HttpClient http, URI nmi, PodIdentity pod) {
    return request -> {
      URI uri =
          URI.create(
              nmi
                  + (nmi.getRawQuery() == null ? "?" : "&")
                  + "resource="
                  + encode(resource(request.getScopes().get(0))));
      JsonNode body =
          get(
              http,
              HttpRequest.newBuilder(uri)
                  .header("podname", pod.name())
                  .header("podns", pod.namespace()),
              "the NMI endpoint of AAD Pod Identity",
              "NMI has no identity for the pod");
      if (body.path("clientid").asString("").isEmpty()) {
        throw ProviderException.of(
            ErrorKind.UNAVAILABLE,
            "nmi did not return expected values in response: token and clientid");
      }
      return token(body.path("token"), "the NMI endpoint of AAD Pod Identity");
    };
  }

  /**
   * Key Vault's challenge names a scope ({@code https://vault.azure.net/.default}); these endpoints
   * want the resource.
   */
  private static String resource(String scope) {
    return scope.endsWith("/.default")
        ? scope.substring(0, scope.length() - "/.default".length())
        : scope;
  }

  private static JsonNode get(
      HttpClient http, HttpRequest.Builder request, String source, String noIdentity) {
    HttpResponse<InputStream> response;
    byte[] answer;
    try {
      response =
          http.send(
              request.timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      // Read up to the limit, never the whole of a larger answer (null then).
      answer = BoundedBody.read(response, MAX_RESPONSE);
    } catch (IOException e) {
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE,
          "cannot reach " + source + " (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(
          ErrorKind.CANCELLED, "interrupted while asking " + source + " for a token");
    }
    int status = response.statusCode();
    // IMDS answers 400 for an identity the VM does not have; NMI 404 when no identity is assigned
    // to the pod and 403 when it could not get the identity's token.
    if (status == 400 || status == 403 || status == 404) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          noIdentity + " (" + source + " answered HTTP " + status + ")");
    }
    if (status == 429) {
      throw ProviderException.throttled(source + " answered HTTP 429", Duration.ofSeconds(1));
    }
    if (status != 200 || answer == null) {
      throw ProviderException.of(ErrorKind.UNAVAILABLE, source + " answered HTTP " + status);
    }
    JsonNode body;
    try {
      body = JsonMappers.READER.readTree(answer);
    } catch (JacksonException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      throw ProviderException.of(ErrorKind.UNAVAILABLE, source + "'s answer is not a token");
    }
    return body;
  }

  /**
   * An MSI token: {@code access_token}, and {@code expires_on} (epoch seconds) or {@code
   * expires_in}, numbers often as strings.
   */
  private static Expiring<AccessToken> token(JsonNode json, String source) {
    String accessToken = json.path("access_token").asString("");
    long expiresOn = JsonLongs.asLong(json.path("expires_on"));
    long expiresIn = JsonLongs.asLong(json.path("expires_in"));
    Instant expiry =
        expiresOn > 0 ? Instant.ofEpochSecond(expiresOn) : Instant.now().plusSeconds(expiresIn);
    if (accessToken.isEmpty() || (expiresOn <= 0 && expiresIn <= 0)) {
      throw ProviderException.of(ErrorKind.UNAVAILABLE, source + "'s answer is not a token");
    }
    return new Expiring<>(
        new AccessToken(accessToken, OffsetDateTime.ofInstant(expiry, ZoneOffset.UTC)), expiry);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
