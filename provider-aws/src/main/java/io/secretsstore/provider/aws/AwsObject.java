// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import java.util.List;

/**
 * One entry of the {@code objects} parameter, as upstream's {@code SecretDescriptor} holds it.
 * Empty strings stand for absent fields, as in Go.
 *
 * @param objectName Secrets Manager or SSM name or ARN
 * @param objectType {@code secretsmanager} or {@code ssmparameter}, or empty with an ARN
 * @param objectAlias the file name, or empty for the object name
 * @param objectVersion SM VersionId or SSM version number
 * @param objectVersionLabel SM VersionStage or SSM label
 * @param filePermission four octal digits, or empty for the request's permission
 * @param jmesPath extra files extracted from a JSON secret
 * @param failover what to fetch in the failover region, or null
 */
record AwsObject(
    String objectName,
    String objectType,
    String objectAlias,
    String objectVersion,
    String objectVersionLabel,
    String filePermission,
    List<JmesEntry> jmesPath,
    FailoverObject failover) {
  AwsObject {
    jmesPath = List.copyOf(jmesPath);
  }

  /** One {@code jmesPath} entry. */
  record JmesEntry(String path, String objectAlias, String filePermission) {}

  /** The {@code failoverObject} of an entry. */
  record FailoverObject(String objectName, String objectVersion, String objectVersionLabel) {}
}
