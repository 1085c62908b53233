// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.secretsstore.provider.spi.AllowLists;
import java.util.List;

/**
 * Which Secret types a SecretSync may ask for. By default upstream's allow-list without {@code
 * bootstrap.kubernetes.io/token} (a cluster join credential); the operator replaces the list with
 * {@value #CONFIG_KEY} in the configuration file, reloaded without a restart. {@code
 * kubernetes.io/service-account-token} is refused always, even listed: the API server would fill
 * such a Secret with a token of any service account the SecretSync names. A refused type is checked
 * before anything is fetched or written.
 */
public final class SecretTypePolicy {
  /** The configuration-file key of the allow-list. */
  public static final String CONFIG_KEY = "syncAllowedSecretTypes";

  public static final String SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";

  /** Upstream chart's allowedSecretTypes, less the bootstrap token type. */
  public static final List<String> DEFAULT_ALLOWED =
      List.of(
          "Opaque",
          "kubernetes.io/basic-auth",
          "kubernetes.io/dockercfg",
          "kubernetes.io/dockerconfigjson",
          "kubernetes.io/ssh-auth",
          "kubernetes.io/tls");

  private static final int MAX_LENGTH = 253;

  private final AllowLists.AllowList allowed;

  private SecretTypePolicy(AllowLists.AllowList allowed) {
    this.allowed = allowed;
  }

  /** Declares {@value #CONFIG_KEY} in the allow-lists the configuration file sets. */
  public static SecretTypePolicy declare(AllowLists lists) {
    return new SecretTypePolicy(lists.declare(CONFIG_KEY, SecretTypePolicy::checkEntry));
  }

  /** The default policy, for a controller without a configuration file. */
  public static SecretTypePolicy defaults() {
    return declare(new AllowLists());
  }

  /** The types allowed now. */
  public List<String> allowed() {
    return allowed.fromFile().orElse(DEFAULT_ALLOWED);
  }

  /**
   * Refuses a type not allowed.
   *
   * @throws SyncFailure CONTROLLER_PATCH_ERROR (upstream's reason when its admission policy refuses
   *     the type) naming the type and the configuration key
   */
  public void check(String type) {
    if (SERVICE_ACCOUNT_TOKEN.equals(type)) {
      throw SyncFailure.misconfigured(
          SyncReason.CONTROLLER_PATCH_ERROR,
          "Secret type "
              + SERVICE_ACCOUNT_TOKEN
              + " is never synced: the API server would fill it with a service-account token;"
              + " nothing was written");
    }
    if (!allowed().contains(type)) {
      throw SyncFailure.misconfigured(
          SyncReason.CONTROLLER_PATCH_ERROR,
          "Secret type "
              + type
              + " is not in the controller's allowed types ("
              + CONFIG_KEY
              + " in its configuration file); nothing was written");
    }
  }

  /** One entry of {@value #CONFIG_KEY}: a Secret type, never the service-account token type. */
  static String checkEntry(String entry) {
    String type = entry.strip();
    if (type.isEmpty()
        || type.length() > MAX_LENGTH
        || type.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
      throw new IllegalArgumentException(
          "a Secret type is 1 to " + MAX_LENGTH + " printable characters without spaces");
    }
    if (SERVICE_ACCOUNT_TOKEN.equals(type)) {
      throw new IllegalArgumentException(SERVICE_ACCOUNT_TOKEN + " cannot be allowed");
    }
    return type;
  }
}
