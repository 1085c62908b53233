// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.secretsstore.provider.proto.v1alpha1.CSIDriverProviderGrpc;
import io.secretsstore.provider.proto.v1alpha1.Error;
import io.secretsstore.provider.proto.v1alpha1.File;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import io.secretsstore.provider.proto.v1alpha1.MountResponse;
import io.secretsstore.provider.proto.v1alpha1.ObjectVersion;
import io.secretsstore.provider.proto.v1alpha1.VersionRequest;
import io.secretsstore.provider.proto.v1alpha1.VersionResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Proves the generated messages are wire-identical to the driver's v1alpha1 API: the expected bytes
 * are built by hand from the field numbers and wire types of driver-contract.md section 1, not by
 * protobuf.
 */
class WireCompatibilityTest {

  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;

  @Test
  void mountRequest_everyField_encodesToHandBuiltBytes() throws Exception {
    MountRequest request =
        MountRequest.newBuilder()
            .setAttributes("{\"a\":\"b\"}")
            .setSecrets("null")
            .setTargetPath("/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/v/mount")
            .setPermission("420")
            .addCurrentObjectVersion(ObjectVersion.newBuilder().setId("secret/a").setVersion("v1"))
            .addCurrentObjectVersion(ObjectVersion.newBuilder().setId("secret/b").setVersion("v2"))
            .build();

    Bytes expected =
        new Bytes()
            .string(1, "{\"a\":\"b\"}")
            .string(2, "null")
            .string(3, "/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/v/mount")
            .string(4, "420")
            .message(5, new Bytes().string(1, "secret/a").string(2, "v1"))
            .message(5, new Bytes().string(1, "secret/b").string(2, "v2"));

    assertThat(request.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(MountRequest.parseFrom(expected.toByteArray())).isEqualTo(request);
  }

  @Test
  void mountResponse_everyField_encodesToHandBuiltBytes() throws Exception {
    MountResponse response =
        MountResponse.newBuilder()
            .addObjectVersion(ObjectVersion.newBuilder().setId("secret/a").setVersion("7"))
            .setError(Error.newBuilder().setCode("BackendThrottled"))
            .addFiles(
                File.newBuilder()
                    .setPath("dir/a")
                    .setMode(420)
                    .setContents(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff})))
            .addFiles(File.newBuilder().setPath("b").setMode(511).setContents(ByteString.EMPTY))
            .build();

    Bytes expected =
        new Bytes()
            .message(1, new Bytes().string(1, "secret/a").string(2, "7"))
            .message(2, new Bytes().string(1, "BackendThrottled"))
            .message(
                3,
                new Bytes()
                    .string(1, "dir/a")
                    .varintField(2, 420)
                    .bytes(3, new byte[] {0, 1, (byte) 0xff}))
            // proto3 leaves empty bytes off the wire.
            .message(3, new Bytes().string(1, "b").varintField(2, 511));

    assertThat(response.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(MountResponse.parseFrom(expected.toByteArray())).isEqualTo(response);
  }

  @Test
  void versionMessages_encodeToHandBuiltBytes() {
    assertThat(VersionRequest.newBuilder().setVersion("v1alpha1").build().toByteArray())
        .isEqualTo(new Bytes().string(1, "v1alpha1").toByteArray());
    VersionResponse response =
        VersionResponse.newBuilder()
            .setVersion("v1alpha1")
            .setRuntimeName("secrets-store-provider-vault")
            .setRuntimeVersion("0.1.0")
            .build();
    assertThat(response.toByteArray())
        .isEqualTo(
            new Bytes()
                .string(1, "v1alpha1")
                .string(2, "secrets-store-provider-vault")
                .string(3, "0.1.0")
                .toByteArray());
  }

  @Test
  void serviceMethods_haveTheDriversFullNames() {
    assertThat(CSIDriverProviderGrpc.SERVICE_NAME).isEqualTo("v1alpha1.CSIDriverProvider");
    assertThat(CSIDriverProviderGrpc.getMountMethod().getFullMethodName())
        .isEqualTo("v1alpha1.CSIDriverProvider/Mount");
    assertThat(CSIDriverProviderGrpc.getVersionMethod().getFullMethodName())
        .isEqualTo("v1alpha1.CSIDriverProvider/Version");
  }

  /** A hand encoder of the protobuf wire format: tags, varints and length-delimited fields. */
  private static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Bytes bytes(int field, byte[] value) {
      varint((field << 3) | LENGTH_DELIMITED);
      varint(value.length);
      out.writeBytes(value);
      return this;
    }

    Bytes message(int field, Bytes nested) {
      return bytes(field, nested.toByteArray());
    }

    Bytes varintField(int field, long value) {
      varint((field << 3) | VARINT);
      varint(value);
      return this;
    }

    private void varint(long value) {
      while ((value & ~0x7FL) != 0) {
        out.write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
