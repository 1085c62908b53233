// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.http.BoundedBody;
import io.secretsstore.provider.json.JsonLongs;
import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.spi.BackendCalls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Turns a pod's Kubernetes token into a Google access token as upstream's {@code auth/auth.go}
 * does: the STS token exchange (the workload's federated token), then, when the service account
 * names a Google service account, IAM Credentials {@code generateAccessToken} with the delegates.
 * Failures are PERMISSION_DENIED with upstream's wording; throttling and 5xx stay retryable. No
 * message carries a token or a response body, only statuses and OAuth error codes.
 */
final class GoogleTokens {
  static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_RESPONSE = 64 * 1024;
  private static final Pattern CODE = Pattern.compile("[A-Za-z_]{1,64}");

  private final HttpClient http;
  private final GcpSettings settings;
  private final Clock clock;
  private final BackendCalls calls;

  GoogleTokens(HttpClient http, GcpSettings settings, Clock clock, BackendCalls calls) {
    this.http = http;
    this.settings = settings;
    this.clock = clock;
    this.calls = calls;
  }

  /**
   * The pod's Google credential: federated, or impersonated when {@code googleServiceAccount} is
   * set.
   */
  Expiring<GoogleCredentials> login(
      ServiceAccountToken token, String audience, GoogleServiceAccount googleServiceAccount)
      throws InterruptedException {
    Expiring<String> federated = exchange(token, audience);
    if (googleServiceAccount == null) {
      return credentials(federated);
    }
    return credentials(impersonate(federated.value(), googleServiceAccount));
  }

  private static Expiring<GoogleCredentials> credentials(Expiring<String> token) {
    return new Expiring<>(
        GoogleCredentials.create(new AccessToken(token.value(), Date.from(token.expiresAt()))),
        token.expiresAt());
  }

  private Expiring<String> exchange(ServiceAccountToken token, String audience)
      throws InterruptedException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
    body.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
    body.put("requested_token_type", "urn:ietf:params:oauth:token-type:access_token");
    body.put("subject_token", token.value());
    body.put("audience", audience);
    body.put("scope", SCOPE);
    JsonNode json =
        post(
            "tokenExchange",
            settings.tokenExchange(),
            null,
            body,
            "unable to fetch identitybindingtoken",
            "could not get idbindtoken token, status: ");
    String accessToken = json.path("access_token").asString("");
    long expiresIn = JsonLongs.asLong(json.path("expires_in"));
    if (accessToken.isEmpty() || expiresIn <= 0) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          "unable to fetch identitybindingtoken: the answer holds no access token");
    }
    return new Expiring<>(accessToken, clock.instant().plusSeconds(expiresIn));
  }

  private Expiring<String> impersonate(String federated, GoogleServiceAccount account)
      throws InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "delegates",
        account.delegates().stream().map(d -> "projects/-/serviceAccounts/" + d).toList());
    body.put("scope", List.of(SCOPE));
    URI uri =
        URI.create(
            settings.iamCredentials().toString().replaceAll("/+$", "")
                + "/v1/projects/-/serviceAccounts/"
                + account.email()
                + ":generateAccessToken");
    JsonNode json =
        post(
            "generateAccessToken",
            uri,
            federated,
            body,
            "unable to fetch gcp service account token",
            "generateAccessToken for " + account.email() + " answered HTTP ");
    String accessToken = json.path("accessToken").asString("");
    Instant expiry;
    try {
      expiry = Instant.parse(json.path("expireTime").asString(""));
    } catch (RuntimeException e) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          "unable to fetch gcp service account token: the answer has no expireTime");
    }
    if (accessToken.isEmpty()) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          "unable to fetch gcp service account token: the answer holds no access token");
    }
    return new Expiring<>(accessToken, expiry);
  }

  private JsonNode post(
      String operation, URI uri, String bearer, Object body, String context, String statusText)
      throws InterruptedException {
    HttpRequest.Builder request;
    try {
      request =
          HttpRequest.newBuilder(uri)
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofByteArray(
                      JsonMappers.WRITER.writeValueAsBytes(body)));
    } catch (JacksonException e) {
      throw ProviderException.of(ErrorKind.INTERNAL, context + ": cannot write the request");
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    long start = System.nanoTime();
    HttpResponse<InputStream> response;
    byte[] answer;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      // Read up to the limit, never the whole of a larger answer (null then).
      answer = BoundedBody.read(response, MAX_RESPONSE);
    } catch (IOException e) {
      calls.record(operation, "unreachable", Duration.ofNanos(System.nanoTime() - start));
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE, context + ": cannot reach " + uri.getHost());
    }
    int status = response.statusCode();
    calls.record(
        operation,
        status == 200 ? "OK" : Integer.toString(status),
        Duration.ofNanos(System.nanoTime() - start));
    if (status == 429) {
      throw ProviderException.throttled(
          context + ": " + statusText + status, Duration.ofSeconds(1));
    }
    if (status >= 500) {
      throw ProviderException.of(ErrorKind.UNAVAILABLE, context + ": " + statusText + status);
    }
    if (status != 200) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          context + ": " + statusText + status + errorCode(answer == null ? new byte[0] : answer));
    }
    if (answer == null) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED, context + ": the answer is too large");
    }
    try {
      return JsonMappers.READER.readTree(answer);
    } catch (JacksonException e) {
      throw ProviderException.of(ErrorKind.PERMISSION_DENIED, context + ": the answer is not JSON");
    }
  }

  /**
   * The OAuth or API error code of an error body ({@code invalid_grant}, {@code
   * PERMISSION_DENIED}), never its text.
   */
  private static String errorCode(byte[] body) {
    try {
      JsonNode json = JsonMappers.READER.readTree(body);
      JsonNode error = json.path("error");
      String code = error.isObject() ? error.path("status").asString("") : error.asString("");
      return CODE.matcher(code).matches() ? " (" + code + ")" : "";
    } catch (RuntimeException e) {
      return "";
    }
  }
}
