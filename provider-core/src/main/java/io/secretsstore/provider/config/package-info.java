// SPDX-License-Identifier: Apache-2.0
/**
 * The settings table ({@link io.secretsstore.provider.config.Settings}: each serve/sync setting's
 * flag, key, type, default and bounds) and the reloadable configuration file: what it may hold, how
 * it is watched (content polling, atomic ConfigMap swaps) and how a new file is applied to the
 * running engine, audit and allow-lists.
 */
package io.secretsstore.provider.config;
