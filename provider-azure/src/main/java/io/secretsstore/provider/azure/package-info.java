// SPDX-License-Identifier: Apache-2.0
/** The azure backend (its issue is still open: this package is intentionally empty). */
package io.secretsstore.provider.azure;
