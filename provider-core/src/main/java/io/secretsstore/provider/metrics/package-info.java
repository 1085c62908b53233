// SPDX-License-Identifier: Apache-2.0
/**
 * Prometheus metrics and their HTTP endpoint. Labels carry only bounded values: backend names,
 * operations, outcomes, gRPC codes; never an object name or an error text.
 */
package io.secretsstore.provider.metrics;
