// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.stub.StreamObserver;
import io.secretsstore.provider.proto.v1alpha1.CSIDriverProviderGrpc;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import io.secretsstore.provider.proto.v1alpha1.MountResponse;
import io.secretsstore.provider.proto.v1alpha1.ObjectVersion;
import io.secretsstore.provider.proto.v1alpha1.VersionRequest;
import io.secretsstore.provider.proto.v1alpha1.VersionResponse;
import io.secretsstore.provider.testing.ProviderFixture;
import io.secretsstore.provider.testing.TestBackend;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket's lifecycle on a real Unix socket: rows 31-34 of the security checklist. */
class ProviderServerIT {
  private Path dir;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  @BeforeEach
  void createDir() throws IOException {
    dir = Files.createTempDirectory(Path.of("/tmp"), "sock");
  }

  @AfterEach
  void cleanUp() throws IOException {
    executor.shutdownNow();
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private ProviderServer start(CSIDriverProviderGrpc.CSIDriverProviderImplBase service)
      throws IOException {
    return ProviderServer.start(
        SocketPath.of(dir, "vault"),
        List.of(service),
        executor,
        Duration.ofSeconds(5),
        Duration.ZERO);
  }

  @Test
  void start_socketIsMode0700AndServesVersion() throws Exception {
    try (ProviderFixture fixture = ProviderFixture.start(new TestBackend())) {
      assertThat(fixture.socket().getFileName().toString()).isEqualTo("test.sock");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(fixture.socket(), LinkOption.NOFOLLOW_LINKS)))
          .isEqualTo("rwx------");
      assertThat(SocketPath.isSocket(fixture.socket())).isTrue();
      ProviderClient.VersionInfo version = fixture.client().version(Duration.ofSeconds(5));
      assertThat(version.runtimeName()).isEqualTo("secrets-store-provider-test");
      assertThat(version.version()).isEqualTo("v1alpha1");
      assertThat(version.runtimeVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
      // Nothing is left behind from binding in the private directory.
      try (var entries = Files.list(fixture.socket().getParent())) {
        assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("test.sock");
      }
    }
  }

  @Test
  void start_staleSocketIsReplaced() throws Exception {
    Path socket = SocketPath.of(dir, "vault");
    try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stale.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(SocketPath.isSocket(socket)).isTrue();
    try (ProviderServer server = start(new VersionOnly());
        ProviderClient client = ProviderClient.connect(socket)) {
      assertThat(client.version(Duration.ofSeconds(5)).runtimeName()).isEqualTo("stub");
      assertThat(server.socketPresent()).isTrue();
    }
    assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS))
        .as("socket removed on close")
        .isFalse();
  }

  @Test
  void start_symlinkAtTheSocketPath_isRefusedAndNotFollowed() throws Exception {
    Path target = dir.resolve("elsewhere");
    Files.writeString(target, "keep");
    Path socket = SocketPath.of(dir, "vault");
    Files.createSymbolicLink(socket, target);
    assertThatThrownBy(() -> start(new VersionOnly()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic link");
    assertThat(Files.isSymbolicLink(socket)).isTrue();
    assertThat(Files.readString(target)).isEqualTo("keep");
  }

  @Test
  void start_regularFileAtTheSocketPath_isRefused() throws Exception {
    Path socket = SocketPath.of(dir, "vault");
    Files.writeString(socket, "not a socket");
    assertThatThrownBy(() -> start(new VersionOnly()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a socket");
    assertThat(Files.readString(socket)).isEqualTo("not a socket");
  }

  @Test
  void socketPath_rejectsBadNamesAndPathsTooLongForUnixSockets() {
    assertThatThrownBy(() -> SocketPath.of(dir, "bad/name"))
        .hasMessageContaining("^[a-zA-Z0-9_-]{1,30}$");
    assertThatThrownBy(() -> SocketPath.of(dir, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SocketPath.of(dir, "a".repeat(31)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SocketPath.of(dir.resolve("d".repeat(90)), "vault"))
        .hasMessageContaining("107 bytes");
    assertThat(SocketPath.of(dir, "azure_1-x").getFileName().toString())
        .isEqualTo("azure_1-x.sock");
  }

  @Test
  void close_drainsAnInFlightCallThenRemovesTheSocket() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ProviderServer server =
        ProviderServer.start(
            SocketPath.of(dir, "vault"),
            List.of(new SlowMount(entered, release)),
            executor,
            Duration.ofSeconds(60),
            Duration.ZERO);
    ProviderClient client = ProviderClient.connect(server.socket());
    CompletableFuture<MountReply> call =
        CompletableFuture.supplyAsync(
            () ->
                client.mount(
                    new ProviderClient.MountCall("{}", "null", "/t", "420", List.of()),
                    Duration.ofSeconds(60)));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    // Closing refuses new calls at once and waits for the one in flight.
    await().atMost(Duration.ofSeconds(30)).until(() -> refusesNewCalls(server.socket()));
    assertThat(closing).as("close waits for the call in flight").isNotDone();
    release.countDown();
    closing.get(30, TimeUnit.SECONDS);
    assertThat(call.get(30, TimeUnit.SECONDS).versions()).hasSize(1);
    assertThat(Files.exists(server.socket(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    client.close();
  }

  private static boolean refusesNewCalls(Path socket) {
    try (ProviderClient another = ProviderClient.connect(socket)) {
      another.version(Duration.ofSeconds(5));
      return false;
    } catch (ProviderCallException e) {
      return true;
    }
  }

  @Test
  void socketPresent_turnsFalseWhenTheSocketIsDeleted() throws Exception {
    try (ProviderServer server = start(new VersionOnly())) {
      assertThat(server.socketPresent()).isTrue();
      Files.delete(server.socket());
      assertThat(server.socketPresent()).isFalse();
    }
  }

  @Test
  void aDeletedSocket_isPublishedAgain_ownerOnly_andServes() throws Exception {
    try (ProviderServer server =
        ProviderServer.start(
            SocketPath.of(dir, "vault"),
            List.of(new VersionOnly()),
            executor,
            Duration.ofSeconds(5),
            Duration.ofMillis(100))) {
      Files.delete(server.socket());
      assertThat(server.socketPresent()).isFalse();
      awaitSocketPresent(server);
      int mode =
          (Integer) Files.getAttribute(server.socket(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
      assertThat(mode & 0777).isEqualTo(0700);
      try (var entries = Files.list(dir)) {
        assertThat(entries.map(p -> p.getFileName().toString()))
            .as("no private bind directory left")
            .containsExactly("vault.sock");
      }
      try (ProviderClient client = ProviderClient.connect(server.socket())) {
        assertThat(client.version(Duration.ofSeconds(5)).runtimeName()).isEqualTo("stub");
      }
    }
    assertThat(Files.exists(dir.resolve("vault.sock"), LinkOption.NOFOLLOW_LINKS))
        .as("removed on close")
        .isFalse();
  }

  @Test
  void aSocketOfAnotherProcessAtThePath_isLeftAlone() throws Exception {
    // No periodic check: the test runs the check itself, once the newer socket is in place.
    try (ProviderServer server = start(new VersionOnly())) {
      Files.delete(server.socket());
      try (ServerSocketChannel newer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        // A newer provider (e.g. during a rolling update) published its socket before our check
        // ran.
        newer.bind(UnixDomainSocketAddress.of(server.socket()));
        Object newerKey =
            Files.readAttributes(
                    server.socket(),
                    java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS)
                .fileKey();
        server.restoreSocket();
        assertThat(server.socketPresent()).isFalse();
        assertThat(
                Files.readAttributes(
                        server.socket(),
                        java.nio.file.attribute.BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS)
                    .fileKey())
            .isEqualTo(newerKey);
      }
    }
  }

  private static void awaitSocketPresent(ProviderServer server) {
    await().atMost(Duration.ofSeconds(30)).alias("a new socket").until(server::socketPresent);
  }

  /** Answers Version only. */
  private static class VersionOnly extends CSIDriverProviderGrpc.CSIDriverProviderImplBase {
    @Override
    public void version(VersionRequest request, StreamObserver<VersionResponse> response) {
      response.onNext(VersionResponse.newBuilder().setRuntimeName("stub").build());
      response.onCompleted();
    }
  }

  /** A Mount that answers only when released, to be caught in flight by a shutdown. */
  private static final class SlowMount extends VersionOnly {
    private final CountDownLatch entered;
    private final CountDownLatch release;

    SlowMount(CountDownLatch entered, CountDownLatch release) {
      this.entered = entered;
      this.release = release;
    }

    @Override
    public void mount(MountRequest request, StreamObserver<MountResponse> response) {
      entered.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      response.onNext(
          MountResponse.newBuilder()
              .addObjectVersion(ObjectVersion.newBuilder().setId("a").setVersion("1"))
              .build());
      response.onCompleted();
    }
  }
}
