// SPDX-License-Identifier: Apache-2.0
/** The load harness and JMH benchmarks (their issue is still open: intentionally empty). */
package io.secretsstore.provider.bench;
