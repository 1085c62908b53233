// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import java.time.Duration;

/**
 * How the region is read from the node when neither the SecretProviderClass nor the provider names
 * one: this node's name (the DaemonSet's downward API, so no pod GET is needed), the client-side
 * rate limit of the Kubernetes requests (upstream's {@code --qps}/{@code --burst}), and the longest
 * a mount waits for the answer.
 *
 * @param nodeName the node this provider serves, or empty to read each pod's {@code spec.nodeName}
 * @param qps Kubernetes requests per second, sustained
 * @param burst Kubernetes requests allowed at once after a quiet period
 * @param timeout the longest a mount waits for the region, rate limit included
 */
record RegionLookup(String nodeName, double qps, int burst, Duration timeout) {
  static final RegionLookup DEFAULT = new RegionLookup("", 5, 10, Duration.ofSeconds(5));

  RegionLookup {
    nodeName = nodeName == null ? "" : nodeName;
    if (!(qps > 0) || burst < 1) {
      throw new IllegalArgumentException("--aws-kube-qps and --aws-kube-burst must be positive");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--aws-region-lookup-timeout must be positive");
    }
  }
}
