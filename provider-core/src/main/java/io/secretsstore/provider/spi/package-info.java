// SPDX-License-Identifier: Apache-2.0
/**
 * The backend contract: a SecretBackend plans a mount from its SecretProviderClass parameters
 * and fetches the planned objects; its value types (identity keys, planned and fetched objects,
 * versions) and the one exception type a mount may end with.
 */
package io.secretsstore.provider.spi;
