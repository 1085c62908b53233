// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server for probes and scrapes that no client can stall. One selector thread
 * reads requests and writes answers without ever blocking; a complete request goes to a small
 * worker pool. A connection has {@link #READ_DEADLINE} to send its request head (at most 8 KiB) and
 * {@link #WRITE_DEADLINE} to take the answer; at most {@link #MAX_CONNECTIONS} are open, and a new
 * one closes the oldest. So half-open, slow or idle connections (any pod can reach a health port on
 * the pod network) cost a buffer for a few seconds and never delay kubelet's probe.
 */
public final class BoundedHttpServer implements AutoCloseable {
  public static final int MAX_CONNECTIONS = 64;
  static final int MAX_REQUEST_BYTES = 8 * 1024;
  static final Duration READ_DEADLINE = Duration.ofSeconds(5);
  static final Duration WRITE_DEADLINE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(BoundedHttpServer.class);

  /** A request: its path and query string (empty when absent). */
  public record Request(String path, String query) {}

  /** An answer: status, content type and body. */
  public record Response(int status, String contentType, byte[] body) {
    /** A plain-text answer. */
    public static Response text(int status, String body) {
      return new Response(
          status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final ServerSocketChannel listener;
  private final Selector selector;
  private final Map<String, Function<Request, Response>> routes;
  private final ThreadPoolExecutor workers;
  private final Thread loop;
  private final Queue<Runnable> fromWorkers = new ConcurrentLinkedQueue<>();

  /** Open connections, oldest first. Touched only by the selector thread. */
  private final LinkedHashSet<Connection> connections = new LinkedHashSet<>();

  private volatile boolean running = true;

  private BoundedHttpServer(
      ServerSocketChannel listener,
      Selector selector,
      Map<String, Function<Request, Response>> routes,
      int workerCount,
      String name) {
    this.listener = listener;
    this.selector = selector;
    this.routes = Map.copyOf(routes);
    this.workers =
        new ThreadPoolExecutor(
            workerCount,
            workerCount,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_CONNECTIONS),
            runnable -> {
              Thread thread = new Thread(runnable, name + "-worker");
              thread.setDaemon(true);
              return thread;
            });
    workers.allowCoreThreadTimeOut(true);
    this.loop = new Thread(this::run, name);
    loop.setDaemon(true);
  }

  /**
   * Listens on {@code address} and serves the routes (exact paths) until closed.
   *
   * @param workers how many requests are handled at once
   * @param name the threads' name
   */
  public static BoundedHttpServer start(
      InetSocketAddress address,
      Map<String, Function<Request, Response>> routes,
      int workers,
      String name)
      throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open();
    Selector selector = Selector.open();
    try {
      listener.bind(address, MAX_CONNECTIONS);
      listener.configureBlocking(false);
      listener.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      listener.close();
      selector.close();
      throw e;
    }
    BoundedHttpServer server = new BoundedHttpServer(listener, selector, routes, workers, name);
    server.loop.start();
    return server;
  }

  /** The port listened on (useful with port 0). */
  public int port() {
    try {
      return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new IllegalStateException("the listener is closed", e);
    }
  }

  private void run() {
    while (running) {
      try {
        selector.select(250);
        Runnable task;
        while ((task = fromWorkers.poll()) != null) {
          task.run();
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
          } else if (key.attachment() instanceof Connection connection) {
            if (key.isReadable()) {
              connection.read();
            } else if (key.isWritable()) {
              connection.write();
            }
          }
        }
        expire(System.nanoTime());
      } catch (IOException | RuntimeException e) {
        if (running) {
          LOG.atWarn()
              .addKeyValue("exception", e.getClass().getName())
              .log("health/metrics server loop failed; continuing");
        }
      }
    }
  }

  private void accept() throws IOException {
    SocketChannel channel;
    while ((channel = listener.accept()) != null) {
      if (connections.size() >= MAX_CONNECTIONS) {
        oldestStillReading().close();
      }
      channel.configureBlocking(false);
      Connection connection = new Connection(channel);
      connections.add(connection);
    }
  }

  /**
   * The connection to drop for a new one: the oldest that has not sent a whole request yet (a
   * silent or slow client), so a probe already being answered keeps its answer.
   */
  private Connection oldestStillReading() {
    for (Connection connection : connections) {
      if (!connection.dispatched) {
        return connection;
      }
    }
    return connections.iterator().next();
  }

  private void expire(long now) {
    for (Connection connection : new ArrayDeque<>(connections)) {
      if (now - connection.deadline > 0) {
        connection.close();
      }
    }
  }

  private Response handle(String head) {
    int lineEnd = head.indexOf("\r\n");
    String[] parts = head.substring(0, lineEnd < 0 ? head.length() : lineEnd).split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      return Response.text(400, "bad request\n");
    }
    if (!parts[0].equals("GET") && !parts[0].equals("HEAD")) {
      return Response.text(405, "only GET\n");
    }
    String target = parts[1];
    int question = target.indexOf('?');
    String path = question < 0 ? target : target.substring(0, question);
    Function<Request, Response> route = routes.get(path);
    if (route == null) {
      return Response.text(404, "not found\n");
    }
    try {
      return route.apply(new Request(path, question < 0 ? "" : target.substring(question + 1)));
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue("exception", e.getClass().getName())
          .addKeyValue("path", path)
          .log("a health/metrics handler failed");
      return Response.text(500, "internal error\n");
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      loop.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Connection connection : new ArrayDeque<>(connections)) {
      connection.close();
    }
    workers.shutdownNow();
    try {
      listener.close();
      selector.close();
    } catch (IOException e) {
      LOG.atDebug().log("closing the health/metrics listener failed");
    }
  }

  /**
   * One client connection: reading its request head, waiting for a worker, or writing the answer.
   */
  private final class Connection {
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST_BYTES);

    /** The answer being written; empty until a worker has one. */
    private ByteBuffer out = ByteBuffer.allocate(0);

    private final SelectionKey key;

    /** Whether its request was read in full and handed to a worker. */
    private boolean dispatched;

    private long deadline = System.nanoTime() + READ_DEADLINE.toNanos();

    Connection(SocketChannel channel) throws IOException {
      this.channel = channel;
      this.key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    void read() {
      int count;
      try {
        count = channel.read(in);
      } catch (IOException e) {
        close();
        return;
      }
      String head = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
      int end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (count < 0 || !in.hasRemaining()) {
          close();
        }
        return;
      }
      key.interestOps(0);
      dispatched = true;
      boolean headOnly = head.startsWith("HEAD ");
      try {
        workers.execute(
            () -> {
              Response response = handle(head.substring(0, end));
              fromWorkers.add(() -> respond(response, headOnly));
              selector.wakeup();
            });
      } catch (RejectedExecutionException e) {
        respond(Response.text(503, "busy\n"), false);
      }
    }

    void respond(Response response, boolean headOnly) {
      if (!channel.isOpen()) {
        return;
      }
      String header =
          "HTTP/1.1 "
              + response.status()
              + " "
              + reason(response.status())
              + "\r\n"
              + "Content-Type: "
              + response.contentType()
              + "\r\n"
              + "Content-Length: "
              + response.body().length
              + "\r\n"
              + "Connection: close\r\n\r\n";
      byte[] head = header.getBytes(StandardCharsets.ISO_8859_1);
      out = ByteBuffer.allocate(head.length + (headOnly ? 0 : response.body().length));
      out.put(head);
      if (!headOnly) {
        out.put(response.body());
      }
      out.flip();
      deadline = System.nanoTime() + WRITE_DEADLINE.toNanos();
      key.interestOps(SelectionKey.OP_WRITE);
      write();
    }

    void write() {
      try {
        channel.write(out);
      } catch (IOException e) {
        close();
        return;
      }
      if (!out.hasRemaining()) {
        close();
      }
    }

    void close() {
      connections.remove(this);
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing to do: the peer is gone either way.
      }
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }
}
