// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The two credentials that do not come from the pod, each enabled only by an operator flag: the
 * provider's own Application Default Credentials ({@code auth: provider-adc}) and a service-account
 * key from the nodePublishSecretRef ({@code key.json}). A key's {@code token_uri} must be Google's
 * (or {@code --gcp-oauth-token-endpoint}): the key comes from a pod author, and the provider must
 * not post signed assertions wherever a key file points.
 */
final class ProviderCredentials {
  private ProviderCredentials() {}

  static Expiring<GoogleCredentials> applicationDefault() {
    try {
      return refreshed(
          GoogleCredentials.getApplicationDefault().createScoped(List.of(GoogleTokens.SCOPE)),
          "provider-adc");
    } catch (IOException e) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          "unable to obtain auth for mount: the provider has no Application Default Credentials");
    }
  }

  static Expiring<GoogleCredentials> serviceAccountKey(
      String keyJson, String allowedTokenUri, TrustedCas cas) {
    JsonNode key;
    try {
      key = JsonMappers.READER.readTree(keyJson);
    } catch (JacksonException e) {
      key = null;
    }
    if (key == null || !"service_account".equals(key.path("type").asString(""))) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          "unable to generate credentials from key.json: it must be a service_account key file");
    }
    JsonNode uri = key.path("token_uri");
    // Only an absent or null token_uri means Google's; an object or array is no URI and is refused
    // (Jackson 2's asText read it as "", Jackson 3's asString would give the default).
    String tokenUri = uri.isContainer() ? "" : uri.asString(allowedTokenUri);
    if (!tokenUri.equals(allowedTokenUri)) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          "unable to generate credentials from key.json: token_uri must be " + allowedTokenUri);
    }
    NetHttpTransport transport =
        new NetHttpTransport.Builder()
            .setSslSocketFactory(cas.sslContext().getSocketFactory())
            .build();
    GoogleCredentials credentials;
    try {
      credentials =
          GoogleCredentials.fromStream(
                  new ByteArrayInputStream(keyJson.getBytes(StandardCharsets.UTF_8)),
                  () -> transport)
              .createScoped(List.of(GoogleTokens.SCOPE));
    } catch (IOException | RuntimeException e) {
      // Google's parser throws a ClassCastException for a null where it wants text
      // ("token_uri": null passes the check above as Google's own endpoint).
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED, "unable to generate credentials from key.json");
    }
    return refreshed(credentials, "key.json");
  }

  /**
   * A fresh access token of the credentials, as a fixed credential the cache replaces before
   * expiry.
   */
  private static Expiring<GoogleCredentials> refreshed(GoogleCredentials credentials, String what) {
    try {
      credentials.refresh();
    } catch (IOException e) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED, "unable to obtain auth for mount: " + what + " was refused");
    }
    AccessToken token = credentials.getAccessToken();
    Instant expiry =
        token.getExpirationTime() == null
            ? Instant.now().plusSeconds(300)
            : token.getExpirationTime().toInstant();
    return new Expiring<>(GoogleCredentials.create(token), expiry);
  }
}
