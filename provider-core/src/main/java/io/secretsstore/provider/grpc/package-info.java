// SPDX-License-Identifier: Apache-2.0
/**
 * The driver's gRPC API on a Unix socket: the thin CSIDriverProvider service, the one StatusMapper,
 * the socket's lifecycle and a client that dials providers as the driver does. The only package
 * that uses the generated proto types.
 */
package io.secretsstore.provider.grpc;
