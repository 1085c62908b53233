// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers of a real JDK server read through the JDK client: a body within the limit is returned and
 * its connection reused; a larger one is refused having read at most the limit, also when it
 * declares a gigabyte and never sends it.
 */
class BoundedBodyTest {
  private static final int LIMIT = 1024;
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private HttpClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/small",
        exchange -> {
          clientPorts.add(exchange.getRemoteAddress().getPort());
          byte[] body = "{\"token\":\"t\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/chunked",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(new byte[LIMIT * 4]);
          }
        });
    server.createContext(
        "/gigabyte",
        exchange -> {
          // Declares a gigabyte, sends a little, and holds the connection until the test ends.
          exchange.sendResponseHeaders(200, 1L << 30);
          OutputStream out = exchange.getResponseBody();
          out.write(new byte[16]);
          out.flush();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private HttpResponse<InputStream> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void aBodyWithinTheLimit_isRead_andItsConnectionIsReused() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(new String(BoundedBody.read(get("/small"), LIMIT), StandardCharsets.UTF_8))
          .isEqualTo("{\"token\":\"t\"}");
    }
    assertThat(clientPorts).as("client connections for 3 requests").hasSize(1);
  }

  @Test
  void aLongerChunkedBody_isRefused() throws Exception {
    assertThat(BoundedBody.read(get("/chunked"), LIMIT)).isNull();
  }

  @Test
  void aDeclaredGigabyte_isRefusedAtOnce_withoutWaitingForIt() throws Exception {
    // ofByteArray() would wait here for a gigabyte that never comes, and hold it if it came.
    assertThat(BoundedBody.read(get("/gigabyte"), LIMIT)).isNull();
    assertThat(release.getCount()).as("answered while the server still holds the body").isOne();
  }
}
