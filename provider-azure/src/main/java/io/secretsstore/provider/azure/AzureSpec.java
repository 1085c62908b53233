// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.SafeText;

/**
 * One object of the SecretProviderClass after validation: what to read and how to write it. Holds
 * names only, so it is a cache key and may be logged.
 *
 * @param name the Key Vault object name
 * @param type secret, key or cert
 * @param version the version id, or empty for the latest
 * @param fileName the alias, or the name
 * @param pfx whether a certificate-backed PKCS#12 secret is written as the PFX itself
 * @param encoding how a secret's value is decoded before it is written
 * @param mode the file mode
 * @param history how many versions to write ({@code <file>/<i>}), 1 for the object alone
 */
record AzureSpec(
    String name,
    ObjectType type,
    String version,
    String fileName,
    boolean pfx,
    Encoding encoding,
    FileMode mode,
    int history) {
  /** {@code objectEncoding}: how a secret's text becomes file bytes. */
  enum Encoding {
    UTF8,
    BASE64,
    HEX
  }

  /** The object-version id upstream reports: {@code <type>/<objectName>}. */
  String id() {
    return type.text + "/" + name;
  }

  /** The path of the first file: the file name, or {@code <file>/0} with version history. */
  String path() {
    return history > 1 ? fileName + "/0" : fileName;
  }

  /** Upstream's context for errors about this object. */
  String context() {
    return context(type.text, name, version, 0);
  }

  /**
   * {@code failed to get objectType:T, objectName:N, objectVersion:V}, with names that are not
   * plain left out.
   */
  static String context(String type, String name, String version, int index) {
    return "failed to get objectType:"
        + (ObjectType.of(type) == null ? "(invalid)" : type)
        + ", objectName:"
        + SafeText.name(name, index)
        + ", objectVersion:"
        + (version.matches("[A-Za-z0-9]{0,64}") ? version : "(invalid)");
  }
}
