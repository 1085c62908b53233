// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

/** Fixtures: the manifests under {@code src/test/resources/driver} and JWT-shaped tokens. */
final class TestFiles {
  private TestFiles() {}

  /** A resource under {@code /driver/} as a path. */
  static Path resource(String name) {
    try {
      return Path.of(TestFiles.class.getResource("/driver/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A JWT-shaped token whose header part starts with {@code headerPrefix} (e.g. {@code eyJcanary})
   * and whose payload carries {@code exp} when it is not null. Nothing verifies the signature.
   */
  static String jwt(String headerPrefix, Instant exp) {
    String claims =
        exp == null
            ? "{\"sub\":\"system:serviceaccount:team-a:app\"}"
            : "{\"sub\":\"system:serviceaccount:team-a:app\",\"exp\":" + exp.getEpochSecond() + "}";
    String payload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    return headerPrefix + "Q0FOQVJZ." + payload + ".c2lnbmF0dXJl";
  }

  /** Writes text to a new file in {@code dir}. */
  static Path write(Path dir, String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
