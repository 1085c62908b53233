// SPDX-License-Identifier: Apache-2.0
/**
 * The Google Cloud emulator: Secret Manager v1 over gRPC with TLS, the STS token exchange and IAM
 * Credentials {@code generateAccessToken} over HTTPS; see {@link
 * io.secretsstore.provider.emulators.gcp.GcpEmulator}.
 */
package io.secretsstore.provider.emulators.gcp;
