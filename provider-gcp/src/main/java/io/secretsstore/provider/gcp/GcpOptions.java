// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.json.JsonTexts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * The backend's {@code serve} flags. Each falls back to the environment variable upstream reads
 * ({@code PROJECT}, {@code CLUSTER_LOCATION}, {@code CLUSTER_NAME}, {@code
 * GKE_WORKLOAD_IDENTITY_ENDPOINT}, {@code GAIA_TOKEN_EXCHANGE_ENDPOINT}, {@code
 * ALLOW_NODE_PUBLISH_SECRET}, {@code GOOGLE_APPLICATION_CREDENTIALS} for a federation audience), so
 * upstream's manifests keep working.
 */
final class GcpOptions {
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.{}-]+:[0-9]{1,5}");

  @Option(
      names = "--gcp-secretmanager-endpoint",
      paramLabel = "HOST:PORT",
      description =
          "Secret Manager gRPC address for global secrets, and for regional ones unless --gcp-secretmanager-regional-endpoint is set (env GCP_SECRETMANAGER_ENDPOINT; default: "
              + GcpSettings.SECRET_MANAGER
              + ").")
  String secretManager;

  @Option(
      names = "--gcp-secretmanager-regional-endpoint",
      paramLabel = "HOST:PORT",
      description =
          "Regional Secret Manager address; {location} is replaced (default: "
              + "secretmanager.{location}.rep.googleapis.com:443"
              + ").")
  String regionalSecretManager;

  @Option(
      names = "--gcp-token-exchange-endpoint",
      paramLabel = "URL",
      description =
          "STS token-exchange URL (env GAIA_TOKEN_EXCHANGE_ENDPOINT; default: https://securetoken.googleapis.com/v1/identitybindingtoken).")
  String tokenExchange;

  @Option(
      names = "--gcp-iam-credentials-endpoint",
      paramLabel = "URL",
      description =
          "IAM Credentials base URL for impersonation (default: https://iamcredentials.googleapis.com).")
  String iamCredentials;

  @Option(
      names = "--gcp-oauth-token-endpoint",
      paramLabel = "URL",
      description =
          "The only token_uri a key.json may name (default: https://oauth2.googleapis.com/token).")
  String oauthTokenEndpoint;

  @Option(
      names = "--gcp-ca-bundle",
      paramLabel = "FILE",
      description =
          "PEM file of CAs trusted for the three endpoints (env GCP_CA_BUNDLE; default: the JDK's).")
  Path caBundle;

  @Option(
      names = "--gcp-project",
      description = "Project of the cluster's workload identity pool (env PROJECT).")
  String project;

  @Option(
      names = "--gcp-cluster-location",
      description = "The cluster's location (env CLUSTER_LOCATION).")
  String clusterLocation;

  @Option(names = "--gcp-cluster-name", description = "The cluster's name (env CLUSTER_NAME).")
  String clusterName;

  @Option(
      names = "--gcp-workload-identity-endpoint",
      paramLabel = "URL",
      description =
          "Base of the cluster's identity provider (env GKE_WORKLOAD_IDENTITY_ENDPOINT; default: https://container.googleapis.com/v1).")
  String identityEndpoint;

  @Option(
      names = "--gcp-token-audience",
      paramLabel = "AUDIENCE",
      description =
          "Token-exchange audience for workload identity federation outside GKE (default: from an external_account file in GOOGLE_APPLICATION_CREDENTIALS).")
  String audience;

  @Option(
      names = "--gcp-service-account-for",
      paramLabel = "NAMESPACE/SERVICEACCOUNT=EMAIL",
      description =
          "Maps a service account to a Google service account without reading its iam.gke.io/gcp-service-account annotation (repeatable; for demos and tests).")
  List<String> serviceAccountFor = List.of();

  @Option(
      names = "--gcp-allow-node-publish-secret",
      description =
          "Allow key.json from a pod's nodePublishSecretRef (env ALLOW_NODE_PUBLISH_SECRET=true).")
  boolean allowNodePublishSecret;

  @Option(
      names = "--gcp-allow-provider-adc",
      description =
          "Allow auth: provider-adc, the provider's own credentials for every pod that asks (no namespace isolation).")
  boolean allowProviderAdc;

  @Option(
      names = "--gcp-allow-token-request",
      description =
          "Mint the pod's token with the TokenRequest API when the driver sent none (needs serviceaccounts/token create).")
  boolean allowTokenRequest;

  GcpSettings settings(Map<String, String> env) {
    String global =
        firstSet(secretManager, env.get("GCP_SECRETMANAGER_ENDPOINT"), GcpSettings.SECRET_MANAGER);
    String regional =
        firstSet(
            regionalSecretManager,
            secretManager != null || env.get("GCP_SECRETMANAGER_ENDPOINT") != null ? global : null,
            GcpSettings.REGIONAL_SECRET_MANAGER);
    for (String address : List.of(global, regional)) {
      if (!ADDRESS.matcher(address).matches()) {
        throw new IllegalArgumentException(
            "--gcp-secretmanager-endpoint and --gcp-secretmanager-regional-endpoint must look like HOST:PORT");
      }
    }
    URI exchange =
        https(
            firstSet(
                tokenExchange,
                env.get("GAIA_TOKEN_EXCHANGE_ENDPOINT"),
                GcpSettings.TOKEN_EXCHANGE.toString()),
            "--gcp-token-exchange-endpoint");
    URI iam =
        https(
            firstSet(iamCredentials, GcpSettings.IAM_CREDENTIALS.toString()),
            "--gcp-iam-credentials-endpoint");
    String bundle = caBundle != null ? caBundle.toString() : env.get("GCP_CA_BUNDLE");
    Map<String, String> mapped = new LinkedHashMap<>();
    for (String mapping : serviceAccountFor) {
      int eq = mapping.indexOf('=');
      int slash = mapping.indexOf('/');
      if (eq < 0 || slash < 0 || slash > eq || !mapping.substring(eq + 1).contains("@")) {
        throw new IllegalArgumentException(
            "--gcp-service-account-for must look like NAMESPACE/SERVICEACCOUNT=NAME@PROJECT.iam.gserviceaccount.com");
      }
      mapped.put(mapping.substring(0, eq), mapping.substring(eq + 1));
    }
    boolean nodePublish =
        allowNodePublishSecret
            || "true".equalsIgnoreCase(env.getOrDefault("ALLOW_NODE_PUBLISH_SECRET", ""));
    return new GcpSettings(
        global,
        regional,
        exchange,
        iam,
        bundle == null || bundle.isEmpty() ? null : Path.of(bundle),
        identity(env),
        mapped,
        nodePublish,
        allowProviderAdc,
        allowTokenRequest,
        https(
            firstSet(oauthTokenEndpoint, GcpSettings.OAUTH_TOKEN.toString()),
            "--gcp-oauth-token-endpoint"));
  }

  /** Upstream's order: GKE (project and cluster), then a federation audience. */
  private WorkloadIdentityPool identity(Map<String, String> env) {
    String explicit = firstSet(audience);
    if (explicit != null) {
      return WorkloadIdentityPool.fromAudience(explicit);
    }
    String p = firstSet(project, env.get("PROJECT"));
    String location = firstSet(clusterLocation, env.get("CLUSTER_LOCATION"));
    String name = firstSet(clusterName, env.get("CLUSTER_NAME"));
    if (p != null && location != null && name != null) {
      String base =
          firstSet(
              identityEndpoint,
              env.get("GKE_WORKLOAD_IDENTITY_ENDPOINT"),
              "https://container.googleapis.com/v1");
      return WorkloadIdentityPool.gke(p, location, name, base);
    }
    String credentials = env.get("GOOGLE_APPLICATION_CREDENTIALS");
    if (credentials != null && !credentials.isEmpty()) {
      try {
        JsonNode file = JsonMappers.READER.readTree(Files.readAllBytes(Path.of(credentials)));
        // A JSON null audience is the text "null", as before the move to Jackson 3.
        String text = JsonTexts.asText(file.path("audience"));
        if ("external_account".equals(file.path("type").asString("")) && !text.isEmpty()) {
          return WorkloadIdentityPool.fromAudience(text);
        }
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "GOOGLE_APPLICATION_CREDENTIALS cannot be read as a credentials file");
      }
    }
    return null;
  }

  private static URI https(String url, String flag) {
    URI uri = URI.create(url);
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(flag + " must be an https URL");
    }
    return uri;
  }

  private static String firstSet(String... values) {
    for (String value : values) {
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }
}
