// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Vault addresses: checked to be http(s) URLs, and normalised so an allow-list compares them
 * reliably.
 */
final class VaultAddress {
  private VaultAddress() {}

  /**
   * The address as {@code scheme://host:port[/path]} in lower case, without a trailing slash.
   *
   * @throws IllegalArgumentException when it is not an http or https URL with a host
   */
  static String normalize(String address) {
    URI uri;
    try {
      uri = new URI(address.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("a Vault address must be an http or https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "a Vault address must be an http or https URL (unix sockets are not supported)");
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + path;
  }
}
