// SPDX-License-Identifier: Apache-2.0
/** The aws backend (its issue is still open: this package is intentionally empty). */
package io.secretsstore.provider.aws;
