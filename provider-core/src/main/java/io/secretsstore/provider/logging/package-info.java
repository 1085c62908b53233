// SPDX-License-Identifier: Apache-2.0
/**
 * Log configuration (JSON or text, level) and exception descriptions that keep messages out of the
 * log, since SDK messages can quote request or response bodies.
 */
package io.secretsstore.provider.logging;
