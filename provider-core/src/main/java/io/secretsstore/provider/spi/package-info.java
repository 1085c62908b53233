// SPDX-License-Identifier: Apache-2.0
/**
 * The backend contract: a SecretBackend plans a mount from its SecretProviderClass parameters
 * and fetches the planned objects, with its value types (planned and fetched objects, the shared
 * context). It builds on the request model ({@code mount}) and the credential cache
 * ({@code credentials}); neither depends back on it.
 */
package io.secretsstore.provider.spi;
