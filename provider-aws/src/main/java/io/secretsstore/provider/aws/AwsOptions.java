// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.cli.DurationConverter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The backend's {@code serve} flags. Each falls back to the variable the AWS SDKs read ({@code
 * AWS_ENDPOINT_URL}, {@code AWS_CA_BUNDLE}, {@code AWS_REGION}), so upstream's Helm value {@code
 * awsRegion} keeps working; a SecretProviderClass {@code region} wins over both, and the node's
 * {@code topology.kubernetes.io/region} label is read only when neither is set.
 */
final class AwsOptions {
  @Option(
      names = "--aws-endpoint",
      paramLabel = "URL",
      description =
          "One https endpoint for Secrets Manager, SSM and STS, e.g. a VPC endpoint or an emulator (env AWS_ENDPOINT_URL; default: AWS's regional endpoints).")
  String endpoint;

  @Option(
      names = "--aws-ca-bundle",
      paramLabel = "FILE",
      description =
          "PEM file of CAs trusted for AWS endpoints (env AWS_CA_BUNDLE; default: the JDK's).")
  Path caBundle;

  @Option(
      names = "--aws-region",
      description = "Region when the SecretProviderClass sets none (env AWS_REGION).")
  String region;

  @Option(
      names = "--aws-role-arn-for",
      paramLabel = "NAMESPACE/SERVICEACCOUNT=ROLE_ARN",
      description =
          "Maps a service account to an IAM role without reading its eks.amazonaws.com/role-arn annotation (repeatable; for demos and tests).")
  List<String> roleArnFor = List.of();

  @Option(
      names = "--aws-pod-identity-endpoint",
      paramLabel = "URL",
      defaultValue = "http://169.254.170.23/v1/credentials",
      description = "EKS Pod Identity agent's IPv4 credentials URL (default: ${DEFAULT-VALUE}).")
  String podIdentityEndpoint;

  @Option(
      names = "--aws-pod-identity-ipv6-endpoint",
      paramLabel = "URL",
      defaultValue = "http://[fd00:ec2::23]/v1/credentials",
      description =
          "EKS Pod Identity agent's IPv6 credentials URL, used for preferredAddressType ipv6 and as auto's fallback (default: ${DEFAULT-VALUE}).")
  String podIdentityIpv6Endpoint;

  @Option(
      names = "--aws-pod-identity-http-timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "Timeout of one call to the EKS Pod Identity agent (default: ${DEFAULT-VALUE}).")
  Duration podIdentityTimeout;

  @Option(
      names = "--aws-node-name",
      paramLabel = "NAME",
      description =
          "This node's name (env NODE_NAME, from the downward API): the region label is read from it without a pod GET.")
  String nodeName;

  @Option(
      names = "--aws-kube-qps",
      defaultValue = "5",
      description =
          "Kubernetes requests per second for the node-region lookup, as upstream's --qps (default: ${DEFAULT-VALUE}).")
  double kubeQps;

  @Option(
      names = "--aws-kube-burst",
      defaultValue = "10",
      description =
          "Kubernetes request burst for the node-region lookup, as upstream's --burst (default: ${DEFAULT-VALUE}).")
  int kubeBurst;

  @Option(
      names = "--aws-region-lookup-timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "Longest a mount waits for the node's region label (default: ${DEFAULT-VALUE}).")
  Duration regionLookupTimeout;

  @Option(
      names = "--aws-batch-get-secret-value",
      description =
          "Read a mount's unpinned Secrets Manager objects with BatchGetSecretValue, 20 per call (the role then needs secretsmanager:BatchGetSecretValue).")
  boolean batchSecrets;

  AwsSettings settings(Map<String, String> env) {
    String url = firstSet(endpoint, env.get("AWS_ENDPOINT_URL"));
    URI uri = null;
    if (url != null) {
      uri = URI.create(url);
      if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "--aws-endpoint (AWS_ENDPOINT_URL) must be an https URL");
      }
    }
    String bundle = caBundle != null ? caBundle.toString() : env.get("AWS_CA_BUNDLE");
    Map<String, String> roles = new LinkedHashMap<>();
    for (String mapping : roleArnFor) {
      int eq = mapping.indexOf('=');
      int slash = mapping.indexOf('/');
      if (eq < 0 || slash < 0 || slash > eq || !mapping.substring(eq + 1).startsWith("arn:")) {
        throw new IllegalArgumentException(
            "--aws-role-arn-for must look like NAMESPACE/SERVICEACCOUNT=arn:aws:iam::ACCOUNT:role/NAME");
      }
      roles.put(mapping.substring(0, eq), mapping.substring(eq + 1));
    }
    PodIdentityAgent agent;
    try {
      agent =
          new PodIdentityAgent(
              URI.create(podIdentityEndpoint),
              URI.create(podIdentityIpv6Endpoint),
              podIdentityTimeout);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--aws-pod-identity-endpoint, --aws-pod-identity-ipv6-endpoint and --aws-pod-identity-http-timeout "
              + "must be http(s) URLs and a positive duration");
    }
    RegionLookup lookup =
        new RegionLookup(
            firstSet(nodeName, env.get("NODE_NAME")), kubeQps, kubeBurst, regionLookupTimeout);
    return new AwsSettings(
        uri,
        bundle == null || bundle.isEmpty() ? null : Path.of(bundle),
        firstSet(region, env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION")),
        roles,
        agent,
        lookup,
        batchSecrets);
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
