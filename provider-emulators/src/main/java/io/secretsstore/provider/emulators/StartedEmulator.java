// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a started emulator listens and how to point a client at it.
 *
 * @param name the emulator's name
 * @param endpoints endpoint names to URLs, in a stable order, e.g. {@code http} and {@code https},
 *     or {@code keyvault} and {@code aad}
 * @param settings the environment a client or provider needs, e.g. {@code VAULT_ADDR}, {@code
 *     AWS_ENDPOINT_URL}, the CA file; emulator credentials here are fake by design
 */
public record StartedEmulator(
    String name, Map<String, URI> endpoints, Map<String, String> settings) {
  /** Checks nothing is missing and freezes the maps in their given order. */
  public StartedEmulator {
    Objects.requireNonNull(name, "name");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("an emulator has at least one endpoint");
    }
    endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  /** One endpoint, or an error listing the ones there are. */
  public URI endpoint(String endpointName) {
    URI uri = endpoints.get(endpointName);
    if (uri == null) {
      throw new IllegalArgumentException(
          name + " has no endpoint " + endpointName + "; it has " + endpoints.keySet());
    }
    return uri;
  }
}
