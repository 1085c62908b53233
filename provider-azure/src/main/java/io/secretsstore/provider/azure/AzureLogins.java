// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.mount.ServiceAccountToken;

/**
 * The ways a mount gets a Key Vault token from Entra ID (reference A3): workload identity (the
 * pod's {@code api://AzureADTokenExchange} token as a client assertion), AKS identity binding (the
 * pod's {@code api://AKSIdentityBinding} token as a client assertion through the AKS token proxy)
 * and a service principal's client secret; the node's token sources are in {@link
 * NodeTokenSources}. Each login builds its azure-identity credential with no SDK retries; the
 * result is cached per identity by {@link CachedTokenCredential}.
 */
final class AzureLogins {
  static final String EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
  static final String IDENTITY_BINDING_AUDIENCE = "api://AKSIdentityBinding";
  private static final String ENTRA = "Microsoft Entra ID";

  private AzureLogins() {}

  static CachedTokenCredential.Login workloadIdentity(
      String tenant,
      String clientId,
      String authorityHost,
      HttpClient http,
      ServiceAccountToken token) {
    return clientAssertion(tenant, clientId, authorityHost, http, token, ENTRA);
  }

  /**
   * AKS identity binding: the same client-assertion request with the pod's {@code
   * api://AKSIdentityBinding} token, sent through {@code proxy}, which delivers it to the token
   * proxy.
   */
  static CachedTokenCredential.Login identityBinding(
      String tenant,
      String clientId,
      String authorityHost,
      TokenProxy proxy,
      ServiceAccountToken token) {
    return clientAssertion(
        tenant,
        clientId,
        authorityHost,
        proxy.http(),
        token,
        "the AKS identity binding token proxy");
  }

  private static CachedTokenCredential.Login clientAssertion(
      String tenant,
      String clientId,
      String authorityHost,
      HttpClient http,
      ServiceAccountToken token,
      String source) {
    String assertion = token.value();
    return request ->
        token(
            new ClientAssertionCredentialBuilder()
                .tenantId(tenant)
                .clientId(clientId)
                .clientAssertion(() -> assertion)
                .authorityHost(authorityHost)
                .httpClient(http)
                .retryOptions(KeyVaultClients.NO_RETRIES)
                .maxRetry(0)
                .disableInstanceDiscovery()
                .build(),
            request,
            source);
  }

  static CachedTokenCredential.Login servicePrincipal(
      String tenant, String clientId, String secret, String authorityHost, HttpClient http) {
    return request ->
        token(
            new ClientSecretCredentialBuilder()
                .tenantId(tenant)
                .clientId(clientId)
                .clientSecret(secret)
                .authorityHost(authorityHost)
                .httpClient(http)
                .retryOptions(KeyVaultClients.NO_RETRIES)
                .maxRetry(0)
                .disableInstanceDiscovery()
                .build(),
            request,
            ENTRA);
  }

  private static Expiring<AccessToken> token(
      TokenCredential credential, TokenRequestContext request, String source) {
    AccessToken token;
    try {
      token = credential.getTokenSync(request);
    } catch (RuntimeException e) {
      throw AzureErrors.login(e, source);
    }
    return new Expiring<>(token, token.getExpiresAt().toInstant());
  }
}
