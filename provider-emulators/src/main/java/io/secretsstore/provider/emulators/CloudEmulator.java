// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A local stand-in for one cloud, found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.secretsstore.provider.emulators.CloudEmulator}). It speaks the
 * cloud's real wire protocol, enforces its authentication, counts calls and injects faults.
 *
 * <p>An instance is started at most once and then closed. Its {@link #faults()} and {@link
 * #calls()} exist from construction, so a test can arm faults before {@link #start}.
 */
public interface CloudEmulator extends AutoCloseable {
  /**
   * A short lower-case name, e.g. {@code vault}; also the prefix of its {@link EmulatorOptions}
   * properties.
   */
  String name();

  /** Starts serving and says where, and what a client must be told to use it. */
  StartedEmulator start(EmulatorOptions options) throws IOException;

  /** The faults its servers inject. */
  FaultPlan faults();

  /** The calls its servers received. */
  CallCounter calls();

  /**
   * The demo of this cloud's backend against this started emulator (seeded with sample secrets), or
   * empty when the emulator has none.
   */
  default Optional<DemoScenario> demo(StartedEmulator started) {
    return Optional.empty();
  }

  /**
   * Load-test scenarios for {@code provider-bench}: seeds {@code objects} fresh secrets, readable
   * by {@code identities} fresh service accounts of one fresh namespace, and returns one scenario
   * per service account, all with the same SecretProviderClass naming those objects. Every call
   * seeds new names, so a first Mount of a returned identity is a cold Mount. Empty when the
   * emulator has none.
   */
  default List<DemoScenario> load(StartedEmulator started, int objects, int identities) {
    return List.of();
  }

  /**
   * Seeds this started emulator from its section of an {@code emulators --seed} file (secrets with
   * their versions, and identities with what they may read) and returns each identity, with tokens
   * minted for it.
   *
   * @throws SeedNode.SeedException naming the line and key of what is wrong
   */
  default List<SeededIdentity> seed(StartedEmulator started, SeedNode section) {
    throw section.error("the " + name() + " emulator cannot be seeded from a file");
  }

  /** Stops serving; safe to call twice, or without a start. */
  @Override
  void close();
}
