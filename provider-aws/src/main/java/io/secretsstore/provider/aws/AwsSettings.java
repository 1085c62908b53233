// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The backend's settings after flags and environment are merged.
 *
 * @param endpoint one endpoint for Secrets Manager, SSM and STS (an emulator or a VPC endpoint), or
 *     null for AWS's regional endpoints
 * @param caBundle PEM file of CAs trusted for AWS endpoints, or null for the JDK's
 * @param region the default region, or empty to read it from the node's label
 * @param roleArnFor service accounts ({@code namespace/name}) mapped to role ARNs without the
 *     Kubernetes API; when a service account is not listed its annotation is read
 * @param agent the EKS Pod Identity agent's endpoints
 * @param regionLookup how the node's region label is read
 * @param batchSecrets whether unpinned Secrets Manager objects are read with BatchGetSecretValue
 *     (needs {@code secretsmanager:BatchGetSecretValue} besides GetSecretValue)
 */
record AwsSettings(
    URI endpoint,
    Path caBundle,
    String region,
    Map<String, String> roleArnFor,
    PodIdentityAgent agent,
    RegionLookup regionLookup,
    boolean batchSecrets) {
  AwsSettings {
    roleArnFor = Map.copyOf(roleArnFor);
    region = region == null ? "" : region;
  }

  /** Settings for tests and the demo: an endpoint, its CA and a region; defaults otherwise. */
  static AwsSettings of(
      URI endpoint, Path caBundle, String region, Map<String, String> roleArnFor) {
    return new AwsSettings(
        endpoint,
        caBundle,
        region,
        roleArnFor,
        PodIdentityAgent.DEFAULT,
        RegionLookup.DEFAULT,
        false);
  }

  AwsSettings withRegion(String newRegion) {
    return new AwsSettings(
        endpoint, caBundle, newRegion, roleArnFor, agent, regionLookup, batchSecrets);
  }

  AwsSettings withRoleArnFor(Map<String, String> newRoles) {
    return new AwsSettings(endpoint, caBundle, region, newRoles, agent, regionLookup, batchSecrets);
  }

  AwsSettings withAgent(PodIdentityAgent newAgent) {
    return new AwsSettings(
        endpoint, caBundle, region, roleArnFor, newAgent, regionLookup, batchSecrets);
  }

  AwsSettings withRegionLookup(RegionLookup newLookup) {
    return new AwsSettings(endpoint, caBundle, region, roleArnFor, agent, newLookup, batchSecrets);
  }

  AwsSettings withBatchSecrets(boolean batch) {
    return new AwsSettings(endpoint, caBundle, region, roleArnFor, agent, regionLookup, batch);
  }
}
