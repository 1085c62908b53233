// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

/**
 * The parts of an ARN upstream looks at ({@code arn:partition:service:region:account:resource}),
 * split as aws-sdk-go's {@code arn.Parse} does.
 */
record Arn(String partition, String service, String region, String account, String resource) {
  static boolean looksLikeArn(String name) {
    return name.startsWith("arn:");
  }

  /** The ARN, or null when it is malformed (fewer than six sections or empty resource). */
  static Arn parse(String text) {
    if (!looksLikeArn(text)) {
      return null;
    }
    String[] sections = text.split(":", 6);
    if (sections.length != 6
        || sections[1].isEmpty()
        || sections[2].isEmpty()
        || sections[5].isEmpty()) {
      return null;
    }
    return new Arn(sections[1], sections[2], sections[3], sections[4], sections[5]);
  }
}
