// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.EmulatorResponse;
import io.secretsstore.provider.emulators.ErrorRenderer;
import java.util.List;
import java.util.Map;

/**
 * Vault's error shape, {@code {"errors":["..."]}}. A 404 carries an empty list, as Vault answers a
 * missing secret or an unknown path.
 */
final class VaultErrors implements ErrorRenderer {
  static final String PERMISSION_DENIED = "permission denied";

  @Override
  public EmulatorResponse render(String operation, int status, String message) {
    List<String> errors = status == 404 ? List.of() : List.of(message);
    return EmulatorResponse.json(status, Map.of("errors", errors));
  }
}
