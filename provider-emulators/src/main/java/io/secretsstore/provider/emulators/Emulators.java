// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The emulators on the class path, found with {@link ServiceLoader}. */
public final class Emulators {
  private Emulators() {}

  /** A new instance of every emulator on the class path, sorted by name. */
  public static List<CloudEmulator> discover() {
    List<CloudEmulator> found = new ArrayList<>();
    ServiceLoader.load(CloudEmulator.class).forEach(found::add);
    found.sort(Comparator.comparing(CloudEmulator::name));
    return List.copyOf(found);
  }

  /**
   * The emulators with the given names, in discovery order; all of them when {@code names} is
   * empty.
   *
   * @throws IllegalArgumentException naming the unknown names and the available ones
   */
  public static List<CloudEmulator> select(
      List<CloudEmulator> emulators, Collection<String> names) {
    if (names.isEmpty()) {
      return emulators;
    }
    List<String> available = emulators.stream().map(CloudEmulator::name).toList();
    List<String> unknown = names.stream().filter(name -> !available.contains(name)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "no emulator named " + String.join(", ", unknown) + "; available: " + available);
    }
    return emulators.stream().filter(emulator -> names.contains(emulator.name())).toList();
  }
}
