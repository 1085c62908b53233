// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

/** Answers one operation of an emulated API. */
@FunctionalInterface
public interface EmulatorHandler {
  /**
   * Answers a request. Throw {@link EmulatorError} for an error in the emulator's own format; any
   * other exception becomes a 500.
   */
  EmulatorResponse handle(EmulatorRequest request) throws Exception;
}
