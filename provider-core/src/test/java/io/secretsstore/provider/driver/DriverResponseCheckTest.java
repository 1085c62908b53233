// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.MountReply.ReturnedFile;
import io.secretsstore.provider.mount.ObjectVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks on their own, for what a socket test cannot script easily. */
class DriverResponseCheckTest {
  private static final List<ObjectVersion> ONE_VERSION =
      List.of(new ObjectVersion("secret/a", "v1"));

  @Test
  void providerErrorCodeWinsOverEverythingElse() {
    MountReply reply = new MountReply(List.of(file("../bad", 0644)), List.of(), "E1", 10);

    assertThatThrownBy(() -> DriverResponseCheck.check(reply))
        .hasMessage("mount request failed with provider error code E1");
  }

  @Test
  void controlCharactersFromTheProviderArePrintedEscaped() {
    MountReply reply = new MountReply(List.of(file("a\u001b[2Jb", 0644)), ONE_VERSION, "", 10);

    CheckedResponse response = DriverResponseCheck.check(reply);

    assertThat(response.warnings())
        .singleElement()
        .asString()
        .contains("a\\x1b[2Jb")
        .doesNotContain("\u001b");
  }

  @Test
  void modeOutsidePermissionBitsIsWarnedAbout() {
    CheckedResponse response =
        DriverResponseCheck.check(new MountReply(List.of(file("a", 04755)), ONE_VERSION, "", 10));

    assertThat(response.warnings())
        .singleElement()
        .asString()
        .contains("mode 2541")
        .contains("0755");
  }

  @Test
  void duplicateObjectIdsKeepTheLastVersion() {
    List<ObjectVersion> versions =
        List.of(new ObjectVersion("secret/a", "v1"), new ObjectVersion("secret/a", "v2"));

    CheckedResponse response =
        DriverResponseCheck.check(new MountReply(List.of(file("a", 0644)), versions, "", 10));

    assertThat(response.versions()).containsExactly(entry("secret/a", "v2"));
    assertThat(response.warnings()).singleElement().asString().contains("more than once");
  }

  @Test
  void goStatusTextUsesGoCodeNames() {
    assertThat(ProviderCall.goStatusText("DEADLINE_EXCEEDED", "slow"))
        .isEqualTo("rpc error: code = DeadlineExceeded desc = slow");
    assertThat(ProviderCall.goCodeName("CANCELLED")).isEqualTo("Canceled");
    assertThat(ProviderCall.goCodeName("UNAUTHENTICATED")).isEqualTo("Unauthenticated");
  }

  private static ReturnedFile file(String path, int mode) {
    return new ReturnedFile(path, mode, new byte[] {1});
  }
}
