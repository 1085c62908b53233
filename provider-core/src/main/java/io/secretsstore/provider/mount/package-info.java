// SPDX-License-Identifier: Apache-2.0
/**
 * The driver's MountRequest as typed, validated values: attributes, pod identity,
 * service-account tokens, file paths and modes, and safe rendering of user-supplied names for
 * messages.
 */
package io.secretsstore.provider.mount;
