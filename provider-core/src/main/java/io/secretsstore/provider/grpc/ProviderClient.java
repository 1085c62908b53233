// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.proto.v1alpha1.CSIDriverProviderGrpc;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import io.secretsstore.provider.proto.v1alpha1.MountResponse;
import io.secretsstore.provider.proto.v1alpha1.VersionRequest;
import io.secretsstore.provider.proto.v1alpha1.VersionResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Calls a provider over its Unix socket the way the driver dials it: plaintext, authority {@code
 * localhost}, the driver's default 4 MiB receive limit. Used by the {@code mount} command, the
 * liveness check and tests; it speaks to any provider, ours or an upstream one.
 */
public final class ProviderClient implements AutoCloseable {
  /** The driver's default {@code --max-call-recv-msg-size}. */
  public static final int DRIVER_MAX_RECEIVE_BYTES = 4 * 1024 * 1024;

  private final ManagedChannel channel;
  private final @Nullable EventLoopGroup eventLoop;

  private ProviderClient(ManagedChannel channel, @Nullable EventLoopGroup eventLoop) {
    this.channel = channel;
    this.eventLoop = eventLoop;
  }

  /** A client for the socket at {@code socket}; connecting happens on the first call. */
  public static ProviderClient connect(Path socket) {
    EventLoopGroup loop =
        new MultiThreadIoEventLoopGroup(
            1, new NamedThreads("provider-client"), EpollIoHandler.newFactory());
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(loop)
            .overrideAuthority("localhost")
            .usePlaintext()
            .maxInboundMessageSize(DRIVER_MAX_RECEIVE_BYTES)
            .build();
    return new ProviderClient(channel, loop);
  }

  /** A client on a channel the caller made (in-process in service tests); closing shuts it down. */
  public static ProviderClient over(ManagedChannel channel) {
    return new ProviderClient(channel, null);
  }

  /**
   * The provider's Version answer.
   *
   * @throws ProviderCallException when the call fails
   */
  public VersionInfo version(Duration timeout) {
    try {
      VersionResponse response =
          CSIDriverProviderGrpc.newBlockingStub(channel)
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .version(VersionRequest.newBuilder().setVersion("v1alpha1").build());
      return new VersionInfo(
          response.getVersion(), response.getRuntimeName(), response.getRuntimeVersion());
    } catch (StatusRuntimeException e) {
      throw ProviderCallException.from(e);
    }
  }

  /**
   * Sends a MountRequest with exactly the given fields.
   *
   * @throws ProviderCallException when the provider answers with a non-OK status
   */
  public MountReply mount(MountCall call, Duration timeout) {
    MountRequest.Builder request =
        MountRequest.newBuilder()
            .setAttributes(call.attributes())
            .setSecrets(call.secrets())
            .setTargetPath(call.targetPath())
            .setPermission(call.permission());
    for (ObjectVersion version : call.currentVersions()) {
      request.addCurrentObjectVersion(
          io.secretsstore.provider.proto.v1alpha1.ObjectVersion.newBuilder()
              .setId(version.id())
              .setVersion(version.version()));
    }
    try {
      MountResponse response =
          CSIDriverProviderGrpc.newBlockingStub(channel)
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .mount(request.build());
      return new MountReply(
          response.getFilesList().stream()
              .map(
                  f ->
                      new MountReply.ReturnedFile(
                          f.getPath(), f.getMode(), f.getContents().toByteArray()))
              .toList(),
          response.getObjectVersionList().stream()
              .map(v -> new ObjectVersion(v.getId(), v.getVersion()))
              .toList(),
          response.hasError() ? response.getError().getCode() : "",
          response.getSerializedSize());
    } catch (StatusRuntimeException e) {
      throw ProviderCallException.from(e);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (eventLoop != null) {
      eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * The fields of a MountRequest, as the driver fills them.
   *
   * @param attributes the attributes JSON
   * @param secrets the secrets JSON ({@code null} literal when there is no nodePublishSecretRef)
   * @param targetPath the target path
   * @param permission the default mode as a decimal string
   * @param currentVersions the currently mounted versions (v1.5 rotation only)
   */
  public record MountCall(
      String attributes,
      String secrets,
      String targetPath,
      String permission,
      List<ObjectVersion> currentVersions) {
    public MountCall {
      currentVersions = List.copyOf(currentVersions);
    }

    @Override
    public String toString() {
      return "MountCall[targetPath=" + targetPath + ", permission=" + permission + "]";
    }
  }

  /**
   * A Version answer.
   *
   * @param version the API version
   * @param runtimeName the provider's name
   * @param runtimeVersion the provider's version
   */
  public record VersionInfo(String version, String runtimeName, String runtimeVersion) {}
}
