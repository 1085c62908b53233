// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.http.BoundedBody;
import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.json.JsonTexts;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.ServiceAccountToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import tools.jackson.databind.JsonNode;

/** The two ways a pod's token becomes AWS credentials: IRSA (STS) and EKS Pod Identity. */
final class Logins {
  static final String IRSA_AUDIENCE = "sts.amazonaws.com";
  static final String POD_IDENTITY_AUDIENCE = "pods.eks.amazonaws.com";
  private static final int MAX_AGENT_RESPONSE = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(Logins.class);

  private Logins() {}

  /**
   * AssumeRoleWithWebIdentity in the primary region with the pod's {@code sts.amazonaws.com} token.
   */
  static Expiring<AwsSessionCredentials> irsa(
      AwsClients clients,
      String region,
      String roleArn,
      PodIdentity pod,
      ServiceAccountToken token) {
    AssumeRoleWithWebIdentityResponse response;
    try {
      response =
          clients
              .sts(region)
              .assumeRoleWithWebIdentity(
                  AssumeRoleWithWebIdentityRequest.builder()
                      .roleArn(roleArn)
                      .webIdentityToken(token.value())
                      .roleSessionName(sessionName(pod))
                      .build());
    } catch (SdkException e) {
      throw AwsErrors.map(
          e,
          region,
          "AssumeRoleWithWebIdentity",
          "for service account " + pod.namespace() + "/" + pod.serviceAccountName());
    }
    Credentials c = response.credentials();
    return new Expiring<>(
        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()),
        c.expiration());
  }

  /**
   * The EKS Pod Identity agent, sent the pod's {@code pods.eks.amazonaws.com} token. The agent's
   * addresses are tried in the order the address type gives; the next one only when the previous
   * could not be reached at all (an HTTP answer, even an error, ends the search).
   */
  static Expiring<AwsSessionCredentials> podIdentity(
      HttpClient http,
      PodIdentityAgent agent,
      PodIdentityAgent.AddressType type,
      ServiceAccountToken token)
      throws InterruptedException {
    HttpResponse<InputStream> response = null;
    List<URI> endpoints = agent.endpoints(type);
    for (int i = 0; response == null; i++) {
      URI endpoint = endpoints.get(i);
      try {
        response =
            http.send(
                HttpRequest.newBuilder(endpoint)
                    .timeout(agent.timeout())
                    .header("Authorization", token.value())
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        if (i + 1 == endpoints.size()) {
          throw ProviderException.of(
              ErrorKind.UNAVAILABLE,
              "cannot reach the EKS Pod Identity agent at "
                  + hosts(endpoints)
                  + " ("
                  + e.getClass().getSimpleName()
                  + ")");
        }
        LOG.atWarn()
            .addKeyValue("agent", endpoint.getHost())
            .addKeyValue("next", endpoints.get(i + 1).getHost())
            .addKeyValue("error", e.getClass().getSimpleName())
            .log("cannot reach the EKS Pod Identity agent; trying its next address");
      }
    }
    byte[] answer;
    try {
      // Read up to the limit, never the whole of a larger answer (null then).
      answer = BoundedBody.read(response, MAX_AGENT_RESPONSE);
    } catch (IOException e) {
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE,
          "the EKS Pod Identity agent's answer broke off (" + e.getClass().getSimpleName() + ")");
    }
    if (response.statusCode() == 401
        || response.statusCode() == 403
        || response.statusCode() == 400) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          "the EKS Pod Identity agent refused the pod's token (HTTP "
              + response.statusCode()
              + ")");
    }
    if (response.statusCode() != 200 || answer == null) {
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE,
          "the EKS Pod Identity agent answered HTTP " + response.statusCode());
    }
    return agentCredentials(answer);
  }

  /** The credentials in the agent's 200 answer; UNAVAILABLE, quoting nothing, when it has none. */
  static Expiring<AwsSessionCredentials> agentCredentials(byte[] answer) {
    try {
      JsonNode json = JsonMappers.READER.readTree(answer);
      return new Expiring<>(
          AwsSessionCredentials.create(
              JsonTexts.asText(json.path("AccessKeyId")),
              JsonTexts.asText(json.path("SecretAccessKey")),
              JsonTexts.asText(json.path("Token"))),
          Instant.parse(JsonTexts.asText(json.path("Expiration"))));
    } catch (RuntimeException e) {
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE,
          "the EKS Pod Identity agent's answer is not valid credentials JSON");
    }
  }

  private static String hosts(List<URI> endpoints) {
    return String.join(" and ", endpoints.stream().map(URI::getHost).toList());
  }

  /** Upstream-like session name, within STS's 64 characters of [\w+=,.@-]. */
  static String sessionName(PodIdentity pod) {
    String name =
        ("secrets-store-csi-" + pod.namespace() + "-" + pod.name()).replaceAll("[^\\w+=,.@-]", "-");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }
}
