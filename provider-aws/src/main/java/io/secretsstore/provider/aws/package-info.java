// SPDX-License-Identifier: Apache-2.0
/**
 * The AWS backend: a drop-in replacement for aws/secrets-store-csi-driver-provider-aws 3.x. Secrets
 * Manager and SSM Parameter Store objects with upstream's parameters, validation, files and object
 * versions; IRSA and EKS Pod Identity with credentials cached per identity. {@link
 * io.secretsstore.provider.aws.AwsBackend} is the only public type.
 */
package io.secretsstore.provider.aws;
