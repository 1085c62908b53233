// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** Writes an {@link EmulatorResponse} to a JDK exchange, whole or trickled. */
final class ExchangeWriter {
  private ExchangeWriter() {}

  static void send(HttpExchange exchange, EmulatorResponse response, Fault.SlowBody slow)
      throws IOException, InterruptedException {
    try {
      Headers headers = exchange.getResponseHeaders();
      for (Map.Entry<String, String> header : response.headers().entrySet()) {
        // The JDK server frames the body itself; a handler's own framing headers would contradict
        // it.
        if (!header.getKey().equalsIgnoreCase("Content-Length")
            && !header.getKey().equalsIgnoreCase("Transfer-Encoding")) {
          headers.set(header.getKey(), header.getValue());
        }
      }
      byte[] body = response.bodyBytes();
      int status = response.status();
      boolean bodiless =
          body.length == 0
              || status == 204
              || status == 304
              || exchange.getRequestMethod().equals("HEAD");
      // -1 tells the JDK server "no body"; a length sends Content-Length rather than chunked
      // encoding.
      exchange.sendResponseHeaders(status, bodiless ? -1 : body.length);
      if (!bodiless) {
        try (OutputStream out = exchange.getResponseBody()) {
          if (slow == null) {
            out.write(body);
          } else {
            trickle(out, body, slow);
          }
        }
      }
    } finally {
      exchange.close();
    }
  }

  private static void trickle(OutputStream out, byte[] body, Fault.SlowBody slow)
      throws IOException, InterruptedException {
    for (int offset = 0; offset < body.length; offset += slow.chunkBytes()) {
      if (offset > 0) {
        Thread.sleep(slow.pause().toMillis());
      }
      out.write(body, offset, Math.min(slow.chunkBytes(), body.length - offset));
      // Without a flush the JDK server would buffer the chunks and send them together.
      out.flush();
    }
  }
}
