// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What every emulator is started with: one TLS identity shared by all (so a client trusts a single
 * CA file), that file's path, and free-form properties named {@code <emulator>.<key>}, e.g. {@code
 * vault.http-port=8200}.
 *
 * @param tls the CA and server certificate every HTTPS listener presents
 * @param caFile the CA certificate in PEM, already written, for clients (e.g. {@code VAULT_CACERT})
 * @param properties settings for individual emulators
 */
public record EmulatorOptions(EmulatorTls tls, Path caFile, Map<String, String> properties) {
  /** Checks nothing is missing and freezes the properties. */
  public EmulatorOptions {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(caFile, "caFile");
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  /**
   * A new TLS identity, its CA written to {@code caFile}, no properties: what tests usually want.
   */
  public static EmulatorOptions create(Path caFile) throws IOException {
    EmulatorTls tls = EmulatorTls.generate();
    return new EmulatorOptions(tls, tls.writeCaPem(caFile), Map.of());
  }

  /** The same options with one more property. */
  public EmulatorOptions withProperty(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(properties);
    more.put(key, value);
    return new EmulatorOptions(tls, caFile, more);
  }

  /**
   * A property of one emulator: {@code property("vault", "root-token")} reads {@code
   * vault.root-token}.
   */
  public Optional<String> property(String emulator, String key) {
    return Optional.ofNullable(properties.get(emulator + "." + key));
  }

  /**
   * Server options for one emulator: this TLS identity, ports from {@code <emulator>.http-port} and
   * {@code <emulator>.https-port} (free ports when absent), defaults otherwise.
   */
  public ServerOptions server(String emulator) {
    return ServerOptions.defaults(tls)
        .withPorts(port(emulator, "http-port"), port(emulator, "https-port"));
  }

  private int port(String emulator, String key) {
    String value = properties.get(emulator + "." + key);
    if (value == null) {
      return 0;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(emulator + "." + key + " must be a port number");
    }
  }
}
