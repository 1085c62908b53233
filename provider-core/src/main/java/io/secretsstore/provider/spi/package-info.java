// SPDX-License-Identifier: Apache-2.0
/**
 * The backend contract: a BackendFactory starts a SecretBackend, which plans a mount from its
 * SecretProviderClass parameters and fetches the planned objects, with its value types (planned and
 * fetched objects, the shared context). It builds on the request model ({@code mount}), the
 * credential cache ({@code credentials}) and the process's Kubernetes client ({@code kube}); none
 * depends back on it.
 */
package io.secretsstore.provider.spi;
