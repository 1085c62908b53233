// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project's semver, as reported in {@code runtime_version} and by {@code version}. */
public final class ProviderVersion {
  private static final String VERSION = load();

  private ProviderVersion() {}

  /** The semver, e.g. {@code 0.1.0}. */
  public static String get() {
    return VERSION;
  }

  /** The runtime name the driver sees for a backend, e.g. {@code secrets-store-provider-vault}. */
  public static String runtimeName(String backend) {
    return "secrets-store-provider-" + backend;
  }

  private static String load() {
    try (InputStream in = ProviderVersion.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "0.0.0");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
