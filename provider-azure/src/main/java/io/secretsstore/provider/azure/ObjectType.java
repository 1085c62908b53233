// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

/** The three kinds of Key Vault object a SecretProviderClass may name, as upstream spells them. */
enum ObjectType {
  SECRET("secret"),
  KEY("key"),
  CERT("cert");

  final String text;

  ObjectType(String text) {
    this.text = text;
  }

  /** The type for upstream's exact spelling, or null. */
  static ObjectType of(String text) {
    for (ObjectType type : values()) {
      if (type.text.equals(text)) {
        return type;
      }
    }
    return null;
  }
}
