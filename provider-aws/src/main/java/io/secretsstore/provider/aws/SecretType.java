// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

/** Where an object lives. */
enum SecretType {
  SECRETS_MANAGER("secretsmanager", "secretsmanager"),
  SSM_PARAMETER("ssmparameter", "ssm");

  private final String objectType;
  private final String arnService;

  SecretType(String objectType, String arnService) {
    this.objectType = objectType;
    this.arnService = arnService;
  }

  /** The {@code objectType} value that selects this type. */
  String objectType() {
    return objectType;
  }

  static SecretType fromObjectType(String value) {
    for (SecretType type : values()) {
      if (type.objectType.equals(value)) {
        return type;
      }
    }
    return null;
  }

  static SecretType fromArnService(String service) {
    for (SecretType type : values()) {
      if (type.arnService.equals(service)) {
        return type;
      }
    }
    return null;
  }
}
