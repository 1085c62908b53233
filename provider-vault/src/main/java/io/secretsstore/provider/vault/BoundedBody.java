// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an HTTP body up to a limit, allocating once when the length is declared, never beyond the
 * limit.
 */
final class BoundedBody {
  private BoundedBody() {}

  /**
   * The body, or null when it is longer than {@code maxBytes} (then at most {@code maxBytes + 1}
   * bytes were read, or none when the declared length already says so).
   *
   * @param declaredLength the Content-Length, or -1 when unknown (chunked)
   */
  static byte[] read(InputStream in, long declaredLength, int maxBytes) throws IOException {
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
}
