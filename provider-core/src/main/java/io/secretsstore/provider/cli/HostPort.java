// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/** Parses listen addresses as Go programs write them: {@code :8080}, {@code 127.0.0.1:0}. */
final class HostPort {
  private HostPort() {}

  /** Starts a listener; something that cannot start because of a flag's value. */
  @FunctionalInterface
  interface Listener<T> {
    T start() throws IOException;
  }

  /**
   * Starts a listener on the address a flag gave; when the address is taken or cannot be bound, the
   * error names the address and the flag rather than only the JDK's "Address already in use".
   */
  static <T> T bind(String flag, String address, Listener<T> listener) throws IOException {
    try {
      return listener.start();
    } catch (BindException e) {
      throw refused(flag, address, e);
    }
  }

  /** {@link #bind(String, String, Listener)} for a listener that returns nothing. */
  static void bind(String flag, String address, VoidListener listener) throws IOException {
    try {
      listener.start();
    } catch (BindException e) {
      throw refused(flag, address, e);
    }
  }

  private static IllegalArgumentException refused(String flag, String address, BindException e) {
    return new IllegalArgumentException(
        flag
            + " "
            + address
            + ": cannot listen there ("
            + e.getMessage()
            + "); choose another address with "
            + flag
            + ", or an empty value to turn it off");
  }

  /** Starts a listener that returns nothing. */
  @FunctionalInterface
  interface VoidListener {
    void start() throws IOException;
  }

  /** The socket address, or null when {@code text} is empty (the listener is off). */
  static @Nullable InetSocketAddress parse(@Nullable String text, String flag) {
    if (text == null || text.isBlank()) {
      return null;
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(flag + " must be host:port or :port");
    }
    String host = text.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " has no valid port");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(flag + " has no valid port");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
