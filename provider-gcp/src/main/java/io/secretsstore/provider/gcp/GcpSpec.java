// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

/**
 * What to fetch for one {@code secrets} entry; with the plan's identity it is the cache key, so it
 * holds names only, never a value.
 *
 * @param resource the Secret Manager version
 * @param extractJsonKey the top-level JSON key whose string value replaces the content, or empty
 * @param extractYamlKey the top-level YAML key whose string value replaces the content, or empty
 */
record GcpSpec(ResourceName resource, String extractJsonKey, String extractYamlKey) {}
