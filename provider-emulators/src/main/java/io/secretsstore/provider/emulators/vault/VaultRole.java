// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A Kubernetes (or JWT) auth role: who may log in with it, and what its tokens may read.
 *
 * @param name the role name sent as {@code role} in the login body
 * @param boundServiceAccountNames service accounts allowed to log in; {@code *} matches any, and a
 *     trailing {@code *} matches a prefix, as in Vault
 * @param boundServiceAccountNamespaces their namespaces, with the same globs
 * @param audience the audience the JWT must carry, or null for any
 * @param allowedPathPrefixes API paths without {@code /v1/} (e.g. {@code secret/data/app/}) that
 *     the role's tokens may use; they stand in for Vault policies
 * @param tokenTtl how long a login's token lives; null means {@link #DEFAULT_TOKEN_TTL}
 */
public record VaultRole(
    String name,
    List<String> boundServiceAccountNames,
    List<String> boundServiceAccountNamespaces,
    String audience,
    List<String> allowedPathPrefixes,
    Duration tokenTtl) {
  /** The token lifetime of a role that does not set one. */
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);

  /**
   * Rejects what Vault would refuse to store: no name, no bound names or namespaces, a non-positive
   * TTL.
   */
  public VaultRole {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a role needs a name");
    }
    boundServiceAccountNames = List.copyOf(boundServiceAccountNames);
    boundServiceAccountNamespaces = List.copyOf(boundServiceAccountNamespaces);
    if (boundServiceAccountNames.isEmpty() || boundServiceAccountNamespaces.isEmpty()) {
      throw new IllegalArgumentException(
          "role "
              + name
              + ": bound service account names and namespaces must be set (use \"*\" for any)");
    }
    allowedPathPrefixes = List.copyOf(allowedPathPrefixes);
    tokenTtl = tokenTtl == null ? DEFAULT_TOKEN_TTL : tokenTtl;
    if (tokenTtl.isNegative() || tokenTtl.isZero()) {
      throw new IllegalArgumentException("role " + name + ": tokenTtl must be positive");
    }
  }

  /** Whether the role's tokens may use an API path (without {@code /v1/}). */
  public boolean allows(String apiPath) {
    return allowedPathPrefixes.stream().anyMatch(apiPath::startsWith);
  }

  static boolean matchesGlob(List<String> patterns, String value) {
    for (String pattern : patterns) {
      if (pattern.equals(value)
          || (pattern.endsWith("*")
              && value.startsWith(pattern.substring(0, pattern.length() - 1)))) {
        return true;
      }
    }
    return false;
  }
}
