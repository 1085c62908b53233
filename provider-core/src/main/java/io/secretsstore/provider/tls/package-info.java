// SPDX-License-Identifier: Apache-2.0
/**
 * TLS material operators give by flag: PEM CA bundles turned into trust managers and TLS contexts.
 */
package io.secretsstore.provider.tls;
