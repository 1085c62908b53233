// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.buffer.UnpooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.FixedRecvByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.secretsstore.provider.concurrent.NamedThreads;
import java.io.IOException;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server on the provider's Unix socket, and the socket's lifecycle.
 *
 * <p>The socket is bound inside a fresh 0700 directory, set to 0700, and only then renamed to its
 * public path, so there is no moment at which it is reachable with wider permissions; the rename
 * also replaces a stale socket left by an unclean exit in one step. Closing drains in-flight calls
 * for a bounded time and removes the socket, unless another process has replaced it meanwhile.
 *
 * <p>A socket deleted from outside (a node clean-up script, an operator) would leave the driver
 * unable to reach a running provider until kubelet restarts it, so the server checks its path
 * periodically (every {@link #DEFAULT_SOCKET_CHECK} by default) and binds a new socket when the
 * path is empty. A path now held by another socket is left alone: that is a newer provider taking
 * over.
 *
 * <p>Service tests that need no socket serve the same services, with the same limits ({@link
 * ServerLimits}), on a builder of their own ({@link #start(ServerBuilder, List, Executor,
 * Duration)}, in-process).
 */
public final class ProviderServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderServer.class);

  /** The driver sends at most its own 4 MiB default; more is refused with RESOURCE_EXHAUSTED. */
  public static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  /**
   * Calls served at once on one connection (the driver keeps one). A call waiting for its objects
   * holds no thread, only its stream; MAX_CONCURRENT_CALLS x 4 MiB is the direct memory reads and
   * writes may need at once.
   */
  public static final int MAX_CONCURRENT_CALLS = 6;

  /** One read from the socket: an HTTP/2 frame of the default maximum size and its header. */
  private static final int READ_BUFFER_BYTES = 16 * 1024 + 9;

  /**
   * How often the socket's path is checked by default; well inside a liveness probe's failure
   * window.
   */
  public static final Duration DEFAULT_SOCKET_CHECK = Duration.ofSeconds(2);

  /** The Unix socket and its event loops; null when serving on a caller's builder (in-process). */
  private final @Nullable UnixSocket unix;

  private final List<BindableService> services;
  private final Executor executor;
  private final Duration drainTimeout;
  private final @Nullable ScheduledFuture<?> socketCheck;
  private volatile Bound bound;
  private volatile boolean closing;

  /** One bound gRPC server and the identity (inode) of the socket file it published. */
  private record Bound(Server server, @Nullable Object fileKey) {}

  /** A published socket path and the event loops that serve it. */
  private record UnixSocket(Path path, EventLoops loops) {}

  /** The Netty event loops of the Unix-socket transport: one accepting, two reading and writing. */
  private record EventLoops(EventLoopGroup boss, EventLoopGroup worker) {
    static EventLoops create() {
      return new EventLoops(
          new MultiThreadIoEventLoopGroup(
              1, new NamedThreads("grpc-accept"), EpollIoHandler.newFactory()),
          new MultiThreadIoEventLoopGroup(
              2, new NamedThreads("grpc-io"), EpollIoHandler.newFactory()));
    }

    void shutdown() {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      worker.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private ProviderServer(
      @Nullable UnixSocket unix,
      List<BindableService> services,
      Executor executor,
      Duration drainTimeout,
      Duration socketCheck,
      Bound bound) {
    this.unix = unix;
    this.services = services;
    this.executor = executor;
    this.drainTimeout = drainTimeout;
    this.bound = bound;
    // The check runs on the accept loop (no thread of its own); a rebind blocks, so it goes to the
    // executor.
    this.socketCheck =
        unix == null || socketCheck.isZero()
            ? null
            : unix.loops()
                .boss()
                .scheduleAtFixedRate(
                    () -> {
                      if (!closing && !Files.exists(unix.path(), LinkOption.NOFOLLOW_LINKS)) {
                        try {
                          executor.execute(() -> restoreSocket(unix));
                        } catch (RejectedExecutionException e) {
                          // Closing: the executor stopped first.
                        }
                      }
                    },
                    socketCheck.toMillis(),
                    socketCheck.toMillis(),
                    TimeUnit.MILLISECONDS);
  }

  /**
   * Starts serving on a Unix socket.
   *
   * @param socket the public socket path, from {@link SocketPath#of}
   * @param executor runs the service methods
   * @param drainTimeout how long {@link #close()} waits for in-flight calls
   * @param socketCheck how often to check that the socket is still there; zero never checks
   * @throws IOException when the path is taken by something that is not a socket, or binding fails
   */
  public static ProviderServer start(
      Path socket,
      List<BindableService> services,
      Executor executor,
      Duration drainTimeout,
      Duration socketCheck)
      throws IOException {
    Objects.requireNonNull(socket, "socket");
    EventLoops loops = EventLoops.create();
    try {
      Bound bound = bind(socket, List.copyOf(services), executor, loops);
      LOG.atInfo().addKeyValue("socket", socket.toString()).log("serving");
      return new ProviderServer(
          new UnixSocket(socket, loops),
          List.copyOf(services),
          executor,
          drainTimeout,
          socketCheck,
          bound);
    } catch (IOException | RuntimeException e) {
      loops.boss().shutdownGracefully();
      loops.worker().shutdownGracefully();
      throw e;
    }
  }

  /**
   * Serves on a builder the caller made (an in-process one in service tests) with the same services
   * and {@link ServerLimits}. There is no socket to publish, check or remove: {@link #socket()} is
   * null and {@link #socketPresent()} false.
   *
   * @param drainTimeout how long {@link #close()} waits for in-flight calls
   */
  public static ProviderServer start(
      ServerBuilder<?> builder,
      List<BindableService> services,
      Executor executor,
      Duration drainTimeout)
      throws IOException {
    Server server = ServerLimits.apply(builder, List.copyOf(services), executor).build().start();
    return new ProviderServer(
        null,
        List.copyOf(services),
        executor,
        drainTimeout,
        Duration.ZERO,
        new Bound(server, null));
  }

  private static Bound bind(
      Path socket, List<BindableService> services, Executor executor, EventLoops loops)
      throws IOException {
    SocketPath.checkReplaceable(socket);
    Path privateDir = SocketPath.createPrivateDirectory(socket);
    Path bindPath = privateDir.resolve("s");
    Server server = null;
    try {
      server =
          ServerLimits.apply(epollBuilder(bindPath, loops), services, executor).build().start();
      Files.setPosixFilePermissions(bindPath, PosixFilePermissions.fromString("rwx------"));
      SocketPath.checkReplaceable(socket);
      Files.move(bindPath, socket, StandardCopyOption.ATOMIC_MOVE);
      return new Bound(
          server,
          Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey());
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.shutdownNow();
      }
      throw e;
    } finally {
      Files.deleteIfExists(bindPath);
      Files.deleteIfExists(privateDir);
    }
  }

  /**
   * The Unix-socket transport with the limits only Netty can enforce; {@link ServerLimits} adds the
   * rest.
   */
  private static NettyServerBuilder epollBuilder(Path bindPath, EventLoops loops) {
    return NettyServerBuilder.forAddress(new DomainSocketAddress(bindPath.toString()))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(loops.boss())
        .workerEventLoopGroup(loops.worker())
        // Each call may hold a whole request (or response) in direct memory while it is read
        // (or written); bounding the calls bounds that, and the launcher's direct-memory cap
        // is sized for it (docs/security.md), so Netty never fails an allocation and drops
        // the driver's one connection. More calls wait at the driver's side, failing nothing.
        .maxConcurrentCallsPerConnection(MAX_CONCURRENT_CALLS)
        // Unpooled buffers filled by reads of a fixed size: a request being received pins
        // about its own size. Pooled chunks were pinned by slices of many interleaved
        // requests (measured: 12 requests of 3.5 MB held 64 MiB and the connection was lost).
        .withChildOption(ChannelOption.ALLOCATOR, new UnpooledByteBufAllocator(true))
        .withChildOption(
            ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BUFFER_BYTES));
  }

  /**
   * Publishes a new socket when the path is empty; the old server finishes its in-flight calls.
   * Synchronized so that two checks never bind twice, and against {@link #close()}.
   */
  synchronized void restoreSocket() {
    if (unix != null) {
      restoreSocket(unix);
    }
  }

  private synchronized void restoreSocket(UnixSocket unix) {
    Path socket = unix.path();
    if (closing || Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Bound old = bound;
    try {
      bound = bind(socket, services, executor, unix.loops());
      old.server().shutdown();
      LOG.atWarn()
          .addKeyValue("socket", socket.toString())
          .log("the socket was deleted from outside; serving on a new one");
    } catch (IOException | RuntimeException e) {
      // Liveness keeps failing meanwhile, and the next check tries again.
      LOG.atError()
          .addKeyValue("socket", socket.toString())
          .addKeyValue("error", e.getClass().getSimpleName())
          .log("the socket was deleted from outside and could not be published again");
    }
  }

  /** The public socket path; null when serving on a caller's builder. */
  public @Nullable Path socket() {
    return unix == null ? null : unix.path();
  }

  /** Whether our socket is at its path (it may be deleted, or replaced by another process). */
  public boolean socketPresent() {
    if (unix == null) {
      return false;
    }
    Path socket = unix.path();
    try {
      return SocketPath.isSocket(socket)
          && Objects.equals(
              bound.fileKey(),
              Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                  .fileKey());
    } catch (IOException e) {
      return false;
    }
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    while (true) {
      Bound current = bound;
      current.server().awaitTermination();
      if (closing || current == bound) {
        return;
      }
    }
  }

  /** Stops accepting calls, drains in-flight ones for the drain timeout, and removes the socket. */
  @Override
  public void close() {
    Server server;
    synchronized (this) {
      closing = true;
      if (socketCheck != null) {
        socketCheck.cancel(false);
      }
      server = bound.server();
    }
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
    if (unix != null) {
      unix.loops().shutdown();
      removeSocket(unix.path());
    }
  }

  private void removeSocket(Path socket) {
    try {
      if (socketPresent()) {
        Files.delete(socket);
      }
    } catch (IOException e) {
      LOG.atWarn().addKeyValue("socket", socket.toString()).log("could not remove the socket");
    }
  }
}
