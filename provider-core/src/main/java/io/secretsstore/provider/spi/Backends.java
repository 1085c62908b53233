// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The backends on the class path, found with {@link ServiceLoader}. */
public final class Backends {
  private Backends() {}

  /** A new factory of every backend on the class path, sorted by name. */
  public static List<BackendFactory> discover() {
    List<BackendFactory> backends = new ArrayList<>();
    ServiceLoader.load(BackendFactory.class).forEach(backends::add);
    backends.sort((a, b) -> a.name().compareTo(b.name()));
    return backends;
  }

  /** The backend with a name, or an error that lists the available ones. */
  public static BackendFactory named(List<BackendFactory> backends, String name) {
    return backends.stream()
        .filter(b -> b.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no backend named \""
                        + name
                        + "\"; available: "
                        + backends.stream().map(BackendFactory::name).toList()));
  }
}
