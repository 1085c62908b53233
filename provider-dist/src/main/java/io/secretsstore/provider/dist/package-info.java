// SPDX-License-Identifier: Apache-2.0
/**
 * The runnable distributions' extras: the demo command, which starts the emulators and a provider
 * per backend and mounts a sample SecretProviderClass for each.
 */
package io.secretsstore.provider.dist;
