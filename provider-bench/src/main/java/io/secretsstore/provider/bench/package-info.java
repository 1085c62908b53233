// SPDX-License-Identifier: Apache-2.0
/**
 * The load harness (socket, concurrent mounts, storms, footprint) and JMH micro-benchmarks whose
 * numbers docs/performance.md reports. Timings are measured here, never asserted in tests.
 */
package io.secretsstore.provider.bench;
