// SPDX-License-Identifier: Apache-2.0
/**
 * The driver's MountRequest as typed, validated values: attributes, pod identity, service-account
 * tokens, file paths and modes, object versions, safe rendering of user-supplied names for
 * messages, and {@link io.secretsstore.provider.mount.ProviderException}, the one exception type a
 * mount may end with. It sits below the backend contract and depends on no other package of the
 * provider, so parsing a request never needs a backend.
 */
package io.secretsstore.provider.mount;
