// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import static io.secretsstore.provider.driver.ScriptedProvider.errorCode;
import static io.secretsstore.provider.driver.ScriptedProvider.file;
import static io.secretsstore.provider.driver.ScriptedProvider.response;
import static io.secretsstore.provider.driver.ScriptedProvider.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The emulator against a scripted provider on a real socket: the driver's checks and its writer.
 */
class ScriptedProviderMountIT {
  private static final String TIMESTAMPED =
      "\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\.\\d+";

  @TempDir Path dir;
  private ScriptedProvider provider;
  private Path target;

  @BeforeEach
  void start() throws IOException {
    provider = ScriptedProvider.start();
    target = dir.resolve("pods/uid-1/volumes/kubernetes.io~csi/secrets/mount");
  }

  @AfterEach
  void stop() throws IOException {
    provider.close();
  }

  @Test
  void writesTheAtomicWriterLayoutWithExactModes() throws IOException {
    provider.answer(
        response(
            List.of(
                file("config.json", 0644, "{}"),
                file("db/password", 0600, "pw"),
                file("db/zero", 0, "z"),
                file("open", 0777, "o"),
                file("nested/a/b/c.txt", 0640, "deep")),
            version("secret/db", "v1"),
            version("secret/config", "v7")));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).as(result.err()).isZero();
    String dataDir = Files.readSymbolicLink(target.resolve("..data")).toString();
    assertThat(dataDir).matches(TIMESTAMPED);
    assertThat(names(target))
        .containsExactlyInAnyOrder(
            "..data", dataDir, "config.json", "db", "open", "nested", "..versions.json");
    Path ts = target.resolve(dataDir);
    assertThat(mode(ts)).isEqualTo("rwxr-xr-x");
    for (String top : List.of("config.json", "db", "open", "nested")) {
      assertThat(Files.readSymbolicLink(target.resolve(top))).isEqualTo(Path.of("..data", top));
    }
    assertThat(mode(ts.resolve("config.json"))).isEqualTo("rw-r--r--");
    assertThat(mode(ts.resolve("db/password"))).isEqualTo("rw-------");
    assertThat(mode(ts.resolve("db/zero"))).isEqualTo("---------");
    assertThat(mode(ts.resolve("open"))).isEqualTo("rwxrwxrwx"); // not narrowed by the umask
    assertThat(Files.readString(target.resolve("nested/a/b/c.txt"))).isEqualTo("deep");
    assertThat(Files.readString(target.resolve("..versions.json")))
        .isEqualTo("{\"secret/config\":\"v7\",\"secret/db\":\"v1\"}");
    assertThat(result.out())
        .containsPattern("db/password +0600 +2\n")
        .containsPattern("db/zero +0000 +1\n")
        .containsPattern("secret/config +v7\n")
        .doesNotContain("deep");
  }

  @Test
  void sendsTheDriversRequestFieldsOnTheWire() throws IOException {
    provider.answer(response(List.of(file("a", 0644, "x")), version("secret/a", "v1")));

    mount(DriverVersion.V1_6);

    MountRequest request = provider.lastRequest();
    assertThat(request.getAttributes())
        .contains(
            "\"secretProviderClass\":\"app-secrets\"", "\"csi.storage.k8s.io/ephemeral\":\"true\"");
    assertThat(request.getSecrets()).isEqualTo("null");
    assertThat(request.getPermission()).isEqualTo("420");
    assertThat(request.getTargetPath()).isEqualTo(target.toString());
    assertThat(request.getCurrentObjectVersionList()).isEmpty();
  }

  @Test
  void secondMountWithFewerFilesRemovesTheirLinksAndTheOldDirectory() throws IOException {
    provider.answer(
        response(List.of(file("a", 0644, "1"), file("b/c", 0644, "2")), version("secret/a", "v1")));
    mount(DriverVersion.V1_6);
    String first = Files.readSymbolicLink(target.resolve("..data")).toString();

    provider.answer(response(List.of(file("a", 0644, "1")), version("secret/a", "v1")));
    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).as(result.err()).isZero();
    String second = Files.readSymbolicLink(target.resolve("..data")).toString();
    assertThat(second).isNotEqualTo(first).matches(TIMESTAMPED);
    assertThat(names(target)).containsExactlyInAnyOrder("..data", second, "a", "..versions.json");
    assertThat(Files.readString(target.resolve("a"))).isEqualTo("1");
  }

  @Test
  void unchangedBytesAreNotRewrittenEvenWhenOnlyModesChanged() throws IOException {
    provider.answer(response(List.of(file("a", 0644, "same")), version("secret/a", "v1")));
    mount(DriverVersion.V1_6);
    String first = Files.readSymbolicLink(target.resolve("..data")).toString();

    provider.answer(response(List.of(file("a", 0600, "same")), version("secret/a", "v2")));
    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("unchanged");
    assertThat(Files.readSymbolicLink(target.resolve("..data")).toString()).isEqualTo(first);
    assertThat(mode(target.resolve(first).resolve("a"))).isEqualTo("rw-r--r--");
    assertThat(Files.readString(target.resolve("..versions.json"))).contains("v2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../x", "..data", "..x", "a//b", "/abs", "a/../b", "./a", "a/", "", ".", "a/./b"})
  void onePathTheDriverRefusesRejectsTheWholeResponseAndKeepsThePreviousMount(String bad)
      throws IOException {
    provider.answer(response(List.of(file("a", 0644, "old")), version("secret/a", "v1")));
    mount(DriverVersion.V1_6);
    String before = Files.readSymbolicLink(target.resolve("..data")).toString();
    Set<String> namesBefore = names(target);

    provider.answer(
        response(
            List.of(file("a", 0644, "new"), file("z", 0644, "z"), file(bad, 0644, "evil")),
            version("secret/a", "v2")));
    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains(
            "failed to mount secrets store objects for pod team-a/web-0, err: invalid path: files[2]")
        .contains("driver v1.6 masks this error");
    assertThat(names(target)).isEqualTo(namesBefore);
    assertThat(Files.readSymbolicLink(target.resolve("..data")).toString()).isEqualTo(before);
    assertThat(Files.readString(target.resolve("a"))).isEqualTo("old");
    assertThat(Files.readString(target.resolve("..versions.json"))).contains("v1");
    assertThat(Files.exists(dir.resolve("x"))).isFalse();
  }

  @Test
  void rejectedPathOnAFirstMountWritesNothingAtAll() throws IOException {
    provider.answer(
        response(
            List.of(file("ok", 0644, "x"), file("../escape", 0644, "evil")),
            version("secret/a", "v1")));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(names(target)).isEmpty();
    assertThat(Files.exists(target.getParent().resolve("escape"))).isFalse();
  }

  @Test
  void providerErrorCodeFailsWithTheDriversMessage() throws IOException {
    provider.answer(errorCode("BackendThrottled"));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains("err: mount request failed with provider error code BackendThrottled");
    assertThat(names(target)).isEmpty();
  }

  @Test
  void responseWithoutObjectVersionsFails() throws IOException {
    provider.answer(response(List.of(file("a", 0644, "x"))));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("err: missing object versions");
    assertThat(names(target)).isEmpty();
  }

  @Test
  void nonOkStatusFailsWithGoGrpcTextAsInThePodEvent() {
    provider.answer(Status.INVALID_ARGUMENT.withDescription("objects: \"db\" has no objectName"));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains(
            "mount failed: failed to mount secrets store objects for pod team-a/web-0, err: "
                + "rpc error: code = InvalidArgument desc = objects: \"db\" has no objectName");
    assertThat(provider.requests()).hasSize(1);
  }

  @Test
  void unavailableIsRetriedUpToThreeAttemptsAsTheDriversServiceConfigSays() {
    provider.answer(
        Status.UNAVAILABLE.withDescription("warming up"),
        Status.UNAVAILABLE,
        response(List.of(file("a", 0644, "x")), version("secret/a", "v1")));

    Result recovered = mount(DriverVersion.V1_6);

    assertThat(recovered.exit()).as(recovered.err()).isZero();
    assertThat(provider.requests()).hasSize(3);

    provider.answer(Status.UNAVAILABLE.withDescription("down"));
    Result failed = mount(DriverVersion.V1_6);

    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err()).contains("rpc error: code = Unavailable desc = down");
    assertThat(provider.requests()).hasSize(6);
  }

  @Test
  void noFilesIsLegacySuccessAndWritesNothing() throws IOException {
    provider.answer(response(List.of(), version("secret/a", "v1")));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("legacy mode").containsPattern("secret/a +v1");
    assertThat(names(target)).containsExactly("..versions.json");
  }

  @Test
  void responseAboveOneMiBOnlyWarnsAsTheDriverDoes() throws IOException {
    byte[] big = new byte[1024 * 1024 + 10];
    provider.answer(response(List.of(file("big.bin", 0644, big)), version("secret/big", "v1")));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).contains("warning: proto above 1MiB, secret sync may fail");
    assertThat(Files.size(target.resolve("big.bin"))).isEqualTo(big.length);
  }

  @Test
  void repeatedPathKeepsTheLastFileLikeTheDriversMap() throws IOException {
    provider.answer(
        response(
            List.of(file("a", 0644, "first"), file("a", 0600, "last")), version("secret/a", "v1")));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).contains("repeats an earlier path");
    assertThat(Files.readString(target.resolve("a"))).isEqualTo("last");
  }

  @Test
  void fileThatIsAlsoADirectoryFailsTheWrite() throws IOException {
    provider.answer(
        response(List.of(file("a", 0644, "x"), file("a/b", 0644, "y")), version("secret/a", "v1")));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("file write failed");
    assertThat(names(target)).isEmpty();
  }

  @Test
  void providerWrittenTopLevelFilesAreReplacedButOtherEntriesStay() throws IOException {
    Files.createDirectories(target);
    Files.writeString(target.resolve("a"), "written by a legacy provider");
    Files.writeString(target.resolve("unrelated"), "keep");
    provider.answer(response(List.of(file("a", 0644, "new")), version("secret/a", "v1")));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(Files.isSymbolicLink(target.resolve("a"))).isTrue();
    assertThat(Files.readString(target.resolve("a"))).isEqualTo("new");
    assertThat(Files.readString(target.resolve("unrelated"))).isEqualTo("keep");
  }

  @Test
  void v15SecondMountIsARotationCallCarryingTheMountedVersions() throws IOException {
    provider.answer(
        response(
            List.of(file("a", 0644, "1")), version("secret/a", "v1"), version("secret/b", "v3")));
    mount(DriverVersion.V1_5);
    MountRequest first = provider.lastRequest();

    provider.answer(
        response(
            List.of(file("a", 0644, "2")), version("secret/a", "v2"), version("secret/b", "v3")));
    Result result = mount(DriverVersion.V1_5);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(first.getCurrentObjectVersionList()).isEmpty();
    assertThat(first.getAttributes()).contains("secretProviderClass");
    MountRequest rotation = provider.lastRequest();
    assertThat(rotation.getCurrentObjectVersionList())
        .extracting(v -> v.getId() + "=" + v.getVersion())
        .containsExactly("secret/a=v1", "secret/b=v3");
    assertThat(rotation.getAttributes())
        .doesNotContain("secretProviderClass", "csi.storage.k8s.io/ephemeral");
    assertThat(rotation.getSecrets()).isEqualTo("{}");
    assertThat(Files.readString(target.resolve("a"))).isEqualTo("2");
    assertThat(result.out()).contains("driver v1.5 rotation call");
  }

  @Test
  void v16RemountSendsTheFirstMountsRequestAgain() {
    provider.answer(response(List.of(file("a", 0644, "1")), version("secret/a", "v1")));
    mount(DriverVersion.V1_6);
    mount(DriverVersion.V1_6);

    List<MountRequest> requests = provider.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1)).isEqualTo(requests.get(0));
  }

  @Test
  void dataLinkPointingOutOfTheTargetIsNeverFollowed() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("a"), "precious");
    Files.createDirectories(target);
    Files.createSymbolicLink(target.resolve("..data"), outside);
    provider.answer(response(List.of(file("a", 0644, "new")), version("secret/a", "v1")));

    Result result = mount(DriverVersion.V1_6);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("refusing to follow it");
    assertThat(Files.readString(outside.resolve("a"))).isEqualTo("precious");
  }

  @Test
  void missingSocketFailsAtOnceAsProviderNotFound() {
    Result result = mount(settings(DriverVersion.V1_6, dir.resolve("nothing.sock")));

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("provider not found");
  }

  @Test
  void secretProviderClassTheDriverRefusesNeverReachesTheProvider() {
    MountSettings settings = settings(DriverVersion.V1_6, provider.socket());
    MountSettings otherNamespace =
        new MountSettings(
            settings.socket(),
            settings.spcFile(),
            target,
            new PodSettings("default", "web-0", "uid-1", "app", true, Map.of()),
            Map.of(),
            false,
            Optional.empty(),
            DriverVersion.V1_6,
            Duration.ofSeconds(10),
            false);

    Result result = mount(otherNamespace);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("failed to get secretproviderclass default/app-secrets");
    assertThat(provider.requests()).isEmpty();
  }

  // Helpers.

  private Result mount(DriverVersion version) {
    return mount(settings(version, provider.socket()));
  }

  private MountSettings settings(DriverVersion version, Path socket) {
    return new MountSettings(
        socket,
        TestFiles.resource("spc-v1.yaml"),
        target,
        new PodSettings("team-a", "web-0", "uid-1", "app", true, Map.of()),
        Map.of(),
        false,
        Optional.empty(),
        version,
        Duration.ofSeconds(10),
        false);
  }

  private static Result mount(MountSettings settings) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        new DriverEmulator(Clock.systemUTC())
            .run(settings, new PrintWriter(out), new PrintWriter(err));
    return new Result(exit, out.toString(), err.toString());
  }

  private static Set<String> names(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return Set.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  private record Result(int exit, String out, String err) {}
}
