// SPDX-License-Identifier: Apache-2.0
/**
 * The gcp backend: Google Secret Manager through the official client over gRPC, pods authenticated
 * by workload identity (STS exchange, optional impersonation); see {@link
 * io.secretsstore.provider.gcp.GcpBackend}.
 */
package io.secretsstore.provider.gcp;
