// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import static io.secretsstore.provider.gcp.GcpTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upstream's example SecretProviderClasses mount unchanged (Parameter Manager's is refused by
 * name).
 */
class GcpUpstreamExamplesIT {
  private static final String PROJECT = GcpTestBed.PROJECT;
  @RegisterExtension final LogCapture logs = new LogCapture();

  private static Map<String, String> parameters(String example) throws IOException {
    try (InputStream in =
        GcpUpstreamExamplesIT.class.getResourceAsStream("/upstream-examples/" + example)) {
      SecretProviderClassFile spc =
          SecretProviderClassFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertThat(spc.provider()).isEqualTo("gcp");
      return spc.parameters();
    }
  }

  @Test
  void theExamples_mountUnchanged() throws Exception {
    try (GcpTestBed bed = new GcpTestBed()) {
      bed.gcp.grant(
          bed.gcp.workloadMember(GcpTestBed.NAMESPACE, "app"),
          PROJECT + "/secrets/testsecret",
          PROJECT + "/locations/us-central1/secrets/testsecret");
      bed.gcp.addVersion(
          PROJECT + "/secrets/testsecret",
          "{\"user\":\"global-user\",\"password\":\"" + Canaries.SECRET + "\"}");
      bed.gcp.addVersion(
          PROJECT + "/locations/us-central1/secrets/testsecret", "{\"user\":\"regional-user\"}");
      GcpBackend backend = bed.backend(bed.settings());
      try (backend;
          ProviderFixture provider = ProviderFixture.start(backend, ProviderFixture.FAST)) {
        MountReply plain = provider.mount(call(attributes(bed, "app-secrets.yaml")));
        assertThat(plain.files())
            .extracting(MountReply.ReturnedFile::path)
            .containsExactly("good1.txt", "good2.txt");
        assertThat(ProviderFixture.text(plain, 0))
            .contains(Canaries.SECRET)
            .isEqualTo(ProviderFixture.text(plain, 1));
        assertThat(plain.versions())
            .extracting(ObjectVersion::version)
            .containsOnly(PROJECT + "/secrets/testsecret/versions/1");
        assertThat(plain.versions().get(0).id())
            .isEqualTo(PROJECT + "/secrets/testsecret/versions/latest");

        MountReply extracted =
            provider.mount(call(attributes(bed, "app-secrets-with-extract-key.yaml")));
        assertThat(ProviderFixture.text(extracted, 0)).isEqualTo("global-user");
        assertThat(ProviderFixture.text(extracted, 1)).isEqualTo("regional-user");
        assertThat(extracted.versions())
            .containsExactly(
                new ObjectVersion(
                    PROJECT + "/secrets/testsecret/versions/latest",
                    PROJECT + "/secrets/testsecret/versions/1"),
                new ObjectVersion(
                    PROJECT + "/locations/us-central1/secrets/testsecret/versions/latest",
                    PROJECT + "/locations/us-central1/secrets/testsecret/versions/1"));

        provider.assertRejected(
            call(attributes(bed, "app-parameters.yaml")),
            "INVALID_ARGUMENT",
            "Parameter Manager versions are not supported by this provider");
      }
      logs.assertNoCanary(bed.canaries());
    }
  }

  private static Map<String, String> attributes(GcpTestBed bed, String example) throws IOException {
    Map<String, String> attributes = new LinkedHashMap<>(bed.attributes(null));
    attributes.putAll(parameters(example));
    return attributes;
  }
}
