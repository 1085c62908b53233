// SPDX-License-Identifier: Apache-2.0
/**
 * The provider's root: only the build's version. Everything else lives in a sub-package named for
 * what it owns.
 */
package io.secretsstore.provider;
