// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The ways a mount gets a Key Vault token (reference A3): workload identity (the pod's
 * {@code api://AzureADTokenExchange} token as a client assertion), a service principal's client
 * secret, the node's managed identity and the deprecated AAD Pod Identity NMI. Each login builds
 * its azure-identity credential with the shared HTTP client and no SDK retries; the result is
 * cached per identity by {@link CachedTokenCredential}.
 */
final class AzureLogins {
  static final String EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
  private static final String ENTRA = "Microsoft Entra ID";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration NMI_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_NMI_RESPONSE = 64 * 1024;

  private AzureLogins() {}

  static CachedTokenCredential.Login workloadIdentity(String tenant, String clientId, String authorityHost, HttpClient http,
      ServiceAccountToken token) {
    String assertion = token.value();
    return request -> token(new ClientAssertionCredentialBuilder().tenantId(tenant).clientId(clientId).clientAssertion(() -> assertion)
        .authorityHost(authorityHost).httpClient(http).retryOptions(KeyVaultClients.NO_RETRIES).maxRetry(0).disableInstanceDiscovery()
        .build(), request, ENTRA);
  }

  static CachedTokenCredential.Login servicePrincipal(String tenant, String clientId, String secret, String authorityHost, HttpClient http) {
    return request -> token(new ClientSecretCredentialBuilder().tenantId(tenant).clientId(clientId).clientSecret(secret)
        .authorityHost(authorityHost).httpClient(http).retryOptions(KeyVaultClients.NO_RETRIES).maxRetry(0).disableInstanceDiscovery()
        .build(), request, ENTRA);
  }

  /** The node's managed identity, user-assigned when {@code clientId} is not empty. */
  static CachedTokenCredential.Login managedIdentity(String clientId, HttpClient http) {
    return request -> {
      ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder().httpClient(http).maxRetry(0);
      if (!clientId.isEmpty()) {
        builder.clientId(clientId);
      }
      return token(builder.build(), request, "the managed identity endpoint");
    };
  }

  /** AAD Pod Identity: NMI answers for the pod named in the headers. */
  static CachedTokenCredential.Login podIdentity(java.net.http.HttpClient http, URI nmi, PodIdentity pod) {
    return request -> {
      String scope = request.getScopes().get(0);
      String resource = scope.endsWith("/.default") ? scope.substring(0, scope.length() - "/.default".length()) : scope;
      URI uri = URI.create(nmi + (nmi.getRawQuery() == null ? "?" : "&") + "resource=" + URLEncoder.encode(resource, StandardCharsets.UTF_8));
      HttpResponse<byte[]> response;
      try {
        response = http.send(HttpRequest.newBuilder(uri).timeout(NMI_TIMEOUT).header("podname", pod.name())
            .header("podns", pod.namespace()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw ProviderException.of(ErrorKind.UNAVAILABLE, "cannot reach the NMI endpoint of AAD Pod Identity");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ProviderException.of(ErrorKind.CANCELLED, "interrupted while asking NMI for a token");
      }
      if (response.statusCode() == 403 || response.statusCode() == 404) {
        throw ProviderException.of(ErrorKind.PERMISSION_DENIED, "NMI has no identity for the pod (HTTP " + response.statusCode() + ")");
      }
      if (response.statusCode() != 200 || response.body().length > MAX_NMI_RESPONSE) {
        throw ProviderException.of(ErrorKind.UNAVAILABLE, "NMI answered HTTP " + response.statusCode());
      }
      try {
        JsonNode json = JSON.readTree(response.body());
        String accessToken = json.path("access_token").asText("");
        long expiresOn = Long.parseLong(json.path("expires_on").asText("0"));
        if (accessToken.isEmpty()) {
          throw new IOException("no access_token");
        }
        OffsetDateTime expiry = OffsetDateTime.ofInstant(Instant.ofEpochSecond(expiresOn), ZoneOffset.UTC);
        return new Expiring<>(new AccessToken(accessToken, expiry), expiry.toInstant());
      } catch (IOException | RuntimeException e) {
        throw ProviderException.of(ErrorKind.UNAVAILABLE, "NMI's answer is not a token");
      }
    };
  }

  private static Expiring<AccessToken> token(TokenCredential credential, TokenRequestContext request, String source) {
    AccessToken token;
    try {
      token = credential.getTokenSync(request);
    } catch (RuntimeException e) {
      throw AzureErrors.login(e, source);
    }
    return new Expiring<>(token, token.getExpiresAt().toInstant());
  }
}
