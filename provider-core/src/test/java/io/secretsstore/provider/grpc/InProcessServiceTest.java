// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.testing.Attributes;
import io.secretsstore.provider.testing.ProviderFixture;
import io.secretsstore.provider.testing.TestBackend;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider's service on an in-process builder: the same engine, codes and limits ({@link
 * ServerLimits}) as on the socket, which ProviderServerIT and SecurityChecklistIT check for real.
 */
class InProcessServiceTest {
  private final TestBackend backend = new TestBackend();
  private ProviderFixture provider;

  @BeforeEach
  void start() throws Exception {
    provider = ProviderFixture.inProcess(backend, EngineSettings.DEFAULT, MountAuditor.NONE);
  }

  @AfterEach
  void stop() throws Exception {
    provider.close();
  }

  private static ProviderClient.MountCall call(String attributes) {
    return new ProviderClient.MountCall(attributes, "null", "/t", "420", List.of());
  }

  @Test
  void version_namesTheBackend_andThereIsNoSocket() {
    assertThat(provider.client().version(Duration.ofSeconds(10)).runtimeName())
        .isEqualTo("secrets-store-provider-test");
    assertThat(provider.server().socket()).isNull();
    assertThat(provider.server().socketPresent()).isFalse();
  }

  @Test
  void mount_goesThroughTheEngineToTheBackend() {
    MountReply reply =
        provider.mount(
            call(
                Attributes.forPod()
                    .with("objects", "[{\"name\":\"a\",\"content\":\"hello\"}]")
                    .json()));
    assertThat(ProviderFixture.text(reply, 0)).isEqualTo("hello");
    assertThat(reply.versions()).hasSize(1);
    assertThat(backend.fetches()).isEqualTo(1);
  }

  @Test
  void aBackendRefusal_isPermissionDenied_andNamesNoSecret() {
    provider.assertRejected(
        call(
            Attributes.forPod()
                .with(
                    "objects",
                    "[{\"name\":\"a\",\"content\":\"x\",\"fail\":\"PERMISSION_DENIED\"}]")
                .json()),
        "PERMISSION_DENIED",
        "");
  }

  @Test
  void badAttributes_areInvalidArgument_beforeTheBackend() {
    provider.assertRejected(call("not json"), "INVALID_ARGUMENT", "");
    assertThat(backend.fetches()).isZero();
  }

  @Test
  void close_drainsAndRefusesLaterCalls() throws Exception {
    provider.close();
    assertThatThrownBy(() -> provider.client().version(Duration.ofSeconds(5)))
        .isInstanceOf(ProviderCallException.class);
    provider = ProviderFixture.inProcess(backend, EngineSettings.DEFAULT, MountAuditor.NONE);
  }
}
