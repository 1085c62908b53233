// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import java.time.Duration;

/**
 * The bounds every mount is held to, whatever the backend.
 *
 * @param maxObjects objects one SecretProviderClass may list
 * @param maxResponseBytes size of all files and versions of one response; the driver's default
 *     receive limit is 4 MiB
 * @param mountTimeout how long one mount may take, well inside kubelet's 2-minute deadline
 */
public record MountLimits(int maxObjects, long maxResponseBytes, Duration mountTimeout) {
  /** 256 objects, 4 MiB, 90 seconds. */
  public static final MountLimits DEFAULT =
      new MountLimits(256, 4L * 1024 * 1024, Duration.ofSeconds(90));

  public MountLimits {
    if (maxObjects < 1
        || maxResponseBytes < 1
        || mountTimeout.isNegative()
        || mountTimeout.isZero()) {
      throw new IllegalArgumentException("mount limits must be positive");
    }
  }
}
