// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

/**
 * One {@code secrets} entry as written, before validation. Every field is the raw text; absent
 * fields are empty, and {@code mode} is null when absent.
 */
record SecretEntry(
    String resourceName,
    String fileName,
    String path,
    String mode,
    String extractJsonKey,
    String extractYamlKey) {}
