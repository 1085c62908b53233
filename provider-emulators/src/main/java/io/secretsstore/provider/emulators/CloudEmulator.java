// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.io.IOException;

/**
 * A local stand-in for one cloud, found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.secretsstore.provider.emulators.CloudEmulator}). It speaks the
 * cloud's real wire protocol, enforces its authentication, counts calls and injects faults.
 *
 * <p>An instance is started at most once and then closed. Its {@link #faults()} and {@link
 * #calls()} exist from construction, so a test can arm faults before {@link #start}.
 */
public interface CloudEmulator extends AutoCloseable {
  /** A short lower-case name, e.g. {@code vault}; also the prefix of its {@link EmulatorOptions} properties. */
  String name();

  /** Starts serving and says where, and what a client must be told to use it. */
  StartedEmulator start(EmulatorOptions options) throws IOException;

  /** The faults its servers inject. */
  FaultPlan faults();

  /** The calls its servers received. */
  CallCounter calls();

  /**
   * The demo of this cloud's backend against this started emulator (seeded with sample secrets),
   * or empty when the emulator has none.
   */
  default java.util.Optional<DemoScenario> demo(StartedEmulator started) {
    return java.util.Optional.empty();
  }

  /** Stops serving; safe to call twice, or without a start. */
  @Override
  void close();
}
