// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

/**
 * Where pod tokens are exchanged: the workload identity pool (the audience kubelet's token must
 * carry, e.g. {@code my-project.svc.id.goog}) and the token-exchange audience.
 *
 * @param pool the pool, or empty for workload identity federation where only the audience counts
 * @param audience GKE's {@code identitynamespace:POOL:PROVIDER} or a federation provider's {@code
 *     //iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/X}
 */
record WorkloadIdentityPool(String pool, String audience) {
  /** GKE workload identity of a cluster, as upstream derives it ({@code auth/auth.go}). */
  static WorkloadIdentityPool gke(
      String project, String clusterLocation, String clusterName, String identityEndpoint) {
    String pool = project + ".svc.id.goog";
    String provider =
        identityEndpoint
            + "/projects/"
            + project
            + "/locations/"
            + clusterLocation
            + "/clusters/"
            + clusterName;
    return new WorkloadIdentityPool(pool, "identitynamespace:" + pool + ":" + provider);
  }

  /**
   * From an audience alone (a flag, or an {@code external_account} credentials file): GKE's form
   * names its pool, any other form is a federation audience with no pool.
   */
  static WorkloadIdentityPool fromAudience(String audience) {
    String[] parts = audience.split(":", 3);
    if (parts.length == 3 && parts[0].equals("identitynamespace")) {
      return new WorkloadIdentityPool(parts[1], audience);
    }
    return new WorkloadIdentityPool("", audience);
  }
}
