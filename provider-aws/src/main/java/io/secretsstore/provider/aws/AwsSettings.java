// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The backend's settings after flags and environment are merged.
 *
 * @param endpoint one endpoint for Secrets Manager, SSM and STS (an emulator or a VPC endpoint),
 *     or null for AWS's regional endpoints
 * @param caBundle PEM file of CAs trusted for AWS endpoints, or null for the JDK's
 * @param region the default region, or empty
 * @param roleArnFor service accounts ({@code namespace/name}) mapped to role ARNs without the
 *     Kubernetes API; when a service account is not listed its annotation is read
 * @param podIdentityEndpoint the EKS Pod Identity agent's credentials URL
 */
record AwsSettings(URI endpoint, Path caBundle, String region, Map<String, String> roleArnFor, URI podIdentityEndpoint) {
  static final URI POD_IDENTITY_IPV4 = URI.create("http://169.254.170.23/v1/credentials");

  AwsSettings {
    roleArnFor = Map.copyOf(roleArnFor);
    region = region == null ? "" : region;
  }

  /** Settings for tests and the demo: an endpoint, its CA and a region. */
  static AwsSettings of(URI endpoint, Path caBundle, String region, Map<String, String> roleArnFor) {
    return new AwsSettings(endpoint, caBundle, region, roleArnFor, POD_IDENTITY_IPV4);
  }
}
