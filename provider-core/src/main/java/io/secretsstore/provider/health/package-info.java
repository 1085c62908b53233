// SPDX-License-Identifier: Apache-2.0
/** Liveness and readiness over HTTP, and the optional readiness probe identity. */
package io.secretsstore.provider.health;
