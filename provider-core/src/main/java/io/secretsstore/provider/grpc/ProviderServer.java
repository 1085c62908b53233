// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import io.secretsstore.provider.concurrent.NamedThreads;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server on the provider's Unix socket, and the socket's lifecycle.
 *
 * <p>The socket is bound inside a fresh 0700 directory, set to 0700, and only then renamed to its
 * public path, so there is no moment at which it is reachable with wider permissions; the rename
 * also replaces a stale socket left by an unclean exit in one step. Closing drains in-flight calls
 * for a bounded time and removes the socket, unless another process has replaced it meanwhile.
 */
public final class ProviderServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderServer.class);
  /** The driver sends at most its own 4 MiB default; more is refused with RESOURCE_EXHAUSTED. */
  public static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  private final Server server;
  private final Path socket;
  private final Object socketFileKey;
  private final List<EventLoopGroup> eventLoops;
  private final Duration drainTimeout;

  private ProviderServer(
      Server server, Path socket, Object socketFileKey, List<EventLoopGroup> eventLoops, Duration drainTimeout) {
    this.server = server;
    this.socket = socket;
    this.socketFileKey = socketFileKey;
    this.eventLoops = eventLoops;
    this.drainTimeout = drainTimeout;
  }

  /**
   * Starts serving on a Unix socket.
   *
   * @param socket the public socket path, from {@link SocketPath#of}
   * @param executor runs the service methods
   * @param drainTimeout how long {@link #close()} waits for in-flight calls
   * @throws IOException when the path is taken by something that is not a socket, or binding fails
   */
  public static ProviderServer start(
      Path socket, List<BindableService> services, Executor executor, Duration drainTimeout) throws IOException {
    Objects.requireNonNull(socket, "socket");
    SocketPath.checkReplaceable(socket);
    Path privateDir = SocketPath.createPrivateDirectory(socket);
    Path bindPath = privateDir.resolve("s");
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new NamedThreads("grpc-accept"), EpollIoHandler.newFactory());
    EventLoopGroup worker = new MultiThreadIoEventLoopGroup(2, new NamedThreads("grpc-io"), EpollIoHandler.newFactory());
    List<EventLoopGroup> loops = List.of(boss, worker);
    Server server = null;
    try {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new DomainSocketAddress(bindPath.toString()))
              .channelType(EpollServerDomainSocketChannel.class)
              .bossEventLoopGroup(boss)
              .workerEventLoopGroup(worker)
              .executor(executor)
              .maxInboundMessageSize(MAX_REQUEST_BYTES);
      services.forEach(builder::addService);
      server = builder.build().start();
      Files.setPosixFilePermissions(bindPath, PosixFilePermissions.fromString("rwx------"));
      SocketPath.checkReplaceable(socket);
      Files.move(bindPath, socket, StandardCopyOption.ATOMIC_MOVE);
      Object fileKey = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      LOG.atInfo().addKeyValue("socket", socket.toString()).log("serving");
      return new ProviderServer(server, socket, fileKey, loops, drainTimeout);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.shutdownNow();
      }
      loops.forEach(EventLoopGroup::shutdownGracefully);
      throw e;
    } finally {
      Files.deleteIfExists(bindPath);
      Files.deleteIfExists(privateDir);
    }
  }

  /** The public socket path. */
  public Path socket() {
    return socket;
  }

  /** Whether the socket is still at its path (it may be deleted from outside). */
  public boolean socketPresent() {
    try {
      return SocketPath.isSocket(socket)
          && Objects.equals(
              socketFileKey,
              Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
    } catch (IOException e) {
      return false;
    }
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops accepting calls, drains in-flight ones for the drain timeout, and removes the socket. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("in-flight calls did not finish within the drain timeout; cancelling them");
        server.shutdownNow();
        server.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    eventLoops.forEach(loop -> loop.shutdownGracefully(0, 1, TimeUnit.SECONDS));
    removeSocket();
  }

  private void removeSocket() {
    try {
      if (socketPresent()) {
        Files.delete(socket);
      }
    } catch (IOException e) {
      LOG.atWarn().addKeyValue("socket", socket.toString()).log("could not remove the socket");
    }
  }
}
