// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.spi.FetchedObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadFingerprintsTest {
  private static final byte[] KEY = new byte[32];

  private static FetchedObject object(String path, String... contents) {
    return new FetchedObject(
        Arrays.stream(contents)
            .map(c -> new FetchedFile(path, new FileMode(0644), c.getBytes(StandardCharsets.UTF_8)))
            .toList(),
        List.of(new ObjectVersion(path, "1")));
  }

  @Test
  void equalContentsHaveEqualFingerprintsWhateverTheirPath() {
    PayloadFingerprints fingerprints = new PayloadFingerprints(KEY);

    String first = fingerprints.of(object("a", "s3cr3t"));

    assertThat(first).startsWith("hmac-sha256:").hasSize("hmac-sha256:".length() + 22);
    assertThat(fingerprints.of(object("b", "s3cr3t"))).isEqualTo(first);
    assertThat(fingerprints.of(object("a", "other"))).isNotEqualTo(first);
  }

  @Test
  void theLengthPrefixKeepsFileBoundaries() {
    PayloadFingerprints fingerprints = new PayloadFingerprints(KEY);

    assertThat(fingerprints.of(object("a", "ab", "c")))
        .isNotEqualTo(fingerprints.of(object("a", "a", "bc")));
  }

  @Test
  void aServedObjectKeepsItsFingerprintAcrossMountsAndAnotherKeyGivesAnother() {
    PayloadFingerprints fingerprints = new PayloadFingerprints(KEY);
    FetchedObject cached = object("a", "s3cr3t");

    String first = fingerprints.of(cached);

    assertThat(fingerprints.of(cached)).isEqualTo(first);
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertThat(new PayloadFingerprints(otherKey).of(cached)).isNotEqualTo(first);
  }

  @Test
  void refusesAShortKeyAndNeverPrintsIt() {
    assertThatThrownBy(() -> new PayloadFingerprints(new byte[16]))
        .hasMessage("the fingerprint key must be at least 32 bytes");
    assertThat(new PayloadFingerprints(KEY).toString())
        .isEqualTo("PayloadFingerprints[key=<redacted>]");
  }
}
