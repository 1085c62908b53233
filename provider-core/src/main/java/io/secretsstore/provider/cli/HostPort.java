// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import java.net.InetSocketAddress;

/** Parses listen addresses as Go programs write them: {@code :8080}, {@code 127.0.0.1:0}. */
final class HostPort {
  private HostPort() {}

  /** The socket address, or null when {@code text} is empty (the listener is off). */
  static InetSocketAddress parse(String text, String flag) {
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
