// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.EmulatorError;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;

/**
 * One mounted secrets engine; paths are relative to its mount, e.g. {@code data/app/db} under
 * {@code secret}.
 */
interface SecretsEngine {
  /** The engine type, e.g. {@code kv-v2}, so a mount is never seeded as two kinds. */
  String type();

  /** A GET of a path under the mount; 404 when there is nothing there. */
  EmulatorResponse read(String namespace, String path, EmulatorRequest request);

  /** A PUT or POST of a path under the mount. */
  default EmulatorResponse write(String namespace, String path, EmulatorRequest request) {
    throw unsupported();
  }

  static EmulatorError notFound() {
    return new EmulatorError(404, "not found");
  }

  static EmulatorError unsupported() {
    return new EmulatorError(405, "unsupported operation");
  }
}
