// SPDX-License-Identifier: Apache-2.0
/** Runnable distributions and the demo wiring. */
package io.secretsstore.provider.dist;
