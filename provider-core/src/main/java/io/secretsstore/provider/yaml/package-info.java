// SPDX-License-Identifier: Apache-2.0
/**
 * The one safe way to load YAML written by users: no class-loading tags, duplicate keys refused,
 * aliases and size bounded.
 */
package io.secretsstore.provider.yaml;
