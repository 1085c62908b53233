// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The backend's settings after flags and environment are merged.
 *
 * @param secretManager Secret Manager's global gRPC address, {@code host:port}
 * @param regionalSecretManager the regional address with {@code {location}} in it
 * @param tokenExchange the STS token-exchange URL
 * @param iamCredentials the IAM Credentials base URL
 * @param caBundle PEM file of CAs trusted for all three, or null for the JDK's
 * @param identity the workload identity pool and audience, or null when unknown (pod-adc mounts
 *     then fail with a message saying which flags to set)
 * @param serviceAccountFor service accounts ({@code namespace/name}) mapped to Google service
 *     accounts without the Kubernetes API (demos and tests)
 * @param allowNodePublishSecret whether key.json from the nodePublishSecretRef may be used
 * @param allowProviderAdc whether {@code auth: provider-adc} may use the provider's own credentials
 * @param allowTokenRequest whether the provider may mint a pod token itself when the driver sent
 *     none
 * @param oauthTokenEndpoint the only {@code token_uri} a key.json may name
 */
record GcpSettings(
    String secretManager,
    String regionalSecretManager,
    URI tokenExchange,
    URI iamCredentials,
    Path caBundle,
    WorkloadIdentityPool identity,
    Map<String, String> serviceAccountFor,
    boolean allowNodePublishSecret,
    boolean allowProviderAdc,
    boolean allowTokenRequest,
    URI oauthTokenEndpoint) {
  static final String SECRET_MANAGER = "secretmanager.googleapis.com:443";
  static final String REGIONAL_SECRET_MANAGER = "secretmanager.{location}.rep.googleapis.com:443";
  static final URI TOKEN_EXCHANGE =
      URI.create("https://securetoken.googleapis.com/v1/identitybindingtoken");
  static final URI IAM_CREDENTIALS = URI.create("https://iamcredentials.googleapis.com");
  static final URI OAUTH_TOKEN = URI.create("https://oauth2.googleapis.com/token");

  GcpSettings {
    serviceAccountFor = Map.copyOf(serviceAccountFor);
  }

  /** Settings for tests and the demo: one emulator address for everything, no opt-ins. */
  static GcpSettings emulator(
      String grpcAddress,
      URI tokenExchange,
      URI iamCredentials,
      Path caBundle,
      WorkloadIdentityPool identity,
      Map<String, String> serviceAccountFor) {
    return new GcpSettings(
        grpcAddress,
        grpcAddress,
        tokenExchange,
        iamCredentials,
        caBundle,
        identity,
        serviceAccountFor,
        false,
        false,
        false,
        OAUTH_TOKEN);
  }

  /** The same settings with the operator opt-ins set. */
  GcpSettings withOptIns(boolean nodePublishSecret, boolean providerAdc, boolean tokenRequest) {
    return new GcpSettings(
        secretManager,
        regionalSecretManager,
        tokenExchange,
        iamCredentials,
        caBundle,
        identity,
        serviceAccountFor,
        nodePublishSecret,
        providerAdc,
        tokenRequest,
        oauthTokenEndpoint);
  }

  /** The same settings with another OAuth token endpoint for key.json (an emulator's). */
  GcpSettings withOauthTokenEndpoint(URI endpoint) {
    return new GcpSettings(
        secretManager,
        regionalSecretManager,
        tokenExchange,
        iamCredentials,
        caBundle,
        identity,
        serviceAccountFor,
        allowNodePublishSecret,
        allowProviderAdc,
        allowTokenRequest,
        endpoint);
  }

  /** The gRPC address for a location; empty means the global endpoint. */
  String secretManagerFor(String location) {
    return location.isEmpty()
        ? secretManager
        : regionalSecretManager.replace("{location}", location);
  }
}
