// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.mount.FileMode;
import java.util.List;

/**
 * What to fetch for one validated entry; with the plan's identity it is the cache key, so it holds
 * names only, never a value.
 *
 * @param type Secrets Manager or SSM
 * @param fileName the main file's name (alias or name, translated)
 * @param mode the main file's mode
 * @param primary where and what to fetch first
 * @param failover what to fetch in the failover region, or null when there is no failover region
 * @param jmes the extra files extracted from the secret
 */
record AwsSpec(
    SecretType type,
    String fileName,
    FileMode mode,
    Target primary,
    Target failover,
    List<Jmes> jmes) {
  AwsSpec {
    jmes = List.copyOf(jmes);
  }

  /**
   * One region's read.
   *
   * @param region the region
   * @param name name or ARN
   * @param version SM VersionId or SSM version number, or empty
   * @param label SM VersionStage or SSM label, or empty
   */
  record Target(String region, String name, String version, String label) {
    /** The SSM name with its selector, {@code name:version} or {@code name:label}. */
    String ssmSelector() {
      if (!version.isEmpty()) {
        return name + ":" + version;
      }
      if (!label.isEmpty()) {
        return name + ":" + label;
      }
      return name;
    }
  }

  /** One extra file: a JMESPath expression, its file name and mode. */
  record Jmes(String path, String fileName, FileMode mode) {}
}
