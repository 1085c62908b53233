// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.credentials;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything that decides what a mount is allowed to read: namespace, service account, audience,
 * role or client id, backend address. Two mounts share cached objects or credentials only when
 * their keys are equal. It holds names, never tokens, so it may be logged.
 *
 * @param backend the backend name
 * @param parts the deciding attributes, sorted by name
 */
public record IdentityKey(String backend, Map<String, String> parts) {
  public IdentityKey {
    Objects.requireNonNull(backend, "backend");
    parts = Collections.unmodifiableMap(new TreeMap<>(parts));
  }

  /** A key from alternating names and values: {@code of("vault", "namespace", ns, "role", r)}. */
  public static IdentityKey of(String backend, String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Map<String, String> parts = new TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      parts.put(
          namesAndValues[i], Objects.requireNonNull(namesAndValues[i + 1], namesAndValues[i]));
    }
    return new IdentityKey(backend, parts);
  }
}
