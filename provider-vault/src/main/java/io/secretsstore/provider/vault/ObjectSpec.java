// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.FileMode;
import java.util.Objects;

/**
 * What the engine caches one object by, with the identity: the object as written, the mode its file
 * gets (so pods sending different default modes never share a file of the wrong mode), and the
 * request it makes. Holds no secret.
 *
 * @param config the object as written in the SecretProviderClass
 * @param mode the file's mode
 * @param request the Vault request
 */
record ObjectSpec(SecretConfig config, FileMode mode, SecretRequest request) {
  ObjectSpec {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(request, "request");
  }
}
