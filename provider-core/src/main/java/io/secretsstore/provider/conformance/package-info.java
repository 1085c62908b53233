// SPDX-License-Identifier: Apache-2.0
/**
 * The conformance suite: the driver-contract checks run against any provider socket (ours or an
 * upstream one), each with planted values that must never come back.
 */
package io.secretsstore.provider.conformance;
