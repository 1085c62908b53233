// SPDX-License-Identifier: Apache-2.0
/**
 * The AWS emulator: Secrets Manager, SSM Parameter Store, STS web identity and the EKS Pod Identity
 * agent on one server, with SigV4 verification; see {@link
 * io.secretsstore.provider.emulators.aws.AwsEmulator}.
 */
package io.secretsstore.provider.emulators.aws;
