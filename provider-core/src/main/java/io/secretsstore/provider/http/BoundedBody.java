// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import org.jspecify.annotations.Nullable;

/**
 * Reads an HTTP body up to a limit, allocating once when the length is declared, never beyond the
 * limit: a backend or a node's token endpoint that answers with a huge body costs the provider at
 * most the limit, never its heap. Used with the JDK client's {@code BodyHandlers.ofInputStream()},
 * whose body would otherwise be read whole ({@code ofByteArray()}) before any size check.
 */
public final class BoundedBody {
  private BoundedBody() {}

  /**
   * The body, or null when it is longer than {@code maxBytes} (then at most {@code maxBytes + 1}
   * bytes were read, or none when the declared length already says so).
   *
   * @param declaredLength the Content-Length, or -1 when unknown (chunked)
   */
  public static byte @Nullable [] read(InputStream in, long declaredLength, int maxBytes)
      throws IOException {
    if (declaredLength > maxBytes) {
      return null;
    }
    if (declaredLength >= 0) {
      // One array of the exact size instead of readNBytes' chunks plus their copy: half the peak.
      byte[] body = new byte[(int) declaredLength];
      int read = in.readNBytes(body, 0, body.length);
      if (read < body.length) {
        throw new IOException("the body ended before its declared length");
      }
      // Read on to the end: the JDK client returns a connection to its pool only once the body
      // stream has reported its end, and closing it before that closes the connection, so every
      // call paid a new TCP connection and TLS handshake (VaultConnectionReuseIT).
      if (in.read() != -1) {
        throw new IOException("the body is longer than its declared length");
      }
      return body;
    }
    byte[] body = in.readNBytes(maxBytes + 1);
    return body.length > maxBytes ? null : body;
  }

  /**
   * The body of a response from the JDK client, read and closed; null when it is longer than {@code
   * maxBytes}.
   */
  public static byte @Nullable [] read(HttpResponse<InputStream> response, int maxBytes)
      throws IOException {
    try (InputStream in = response.body()) {
      return read(in, response.headers().firstValueAsLong("Content-Length").orElse(-1), maxBytes);
    }
  }
}
