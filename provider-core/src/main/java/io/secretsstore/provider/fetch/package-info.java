// SPDX-License-Identifier: Apache-2.0
/**
 * The mount engine: plan, core's rules, bounded parallel fetches under a deadline, the
 * identity-keyed object cache with single-flight and rotation polling, and per-endpoint protection
 * (concurrency limits, retries, circuit).
 */
package io.secretsstore.provider.fetch;
