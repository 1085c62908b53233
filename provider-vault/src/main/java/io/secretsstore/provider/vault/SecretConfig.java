// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of the {@code objects} list, exactly as upstream's {@code config.Secret} holds it. It
 * is the spec of a planned object (with the identity, the key of the engine's cache), and its Go
 * JSON form is the first input of the object's HMAC version, so its fields are kept as written: no
 * defaults filled in, no normalisation.
 *
 * @param objectName the file path and object-version id
 * @param secretPath the Vault API path as written (maybe without {@code /v1/}, maybe with a query)
 * @param secretKey the key to extract, or empty for the whole response
 * @param method the HTTP method as written, or empty for GET
 * @param secretArgs the request body, or null when the object has none (Go's nil map)
 * @param filePermission the mode bits as written, 0 for the request's default
 * @param encoding utf-8, base64 or hex (any case), or empty
 */
record SecretConfig(
    String objectName,
    String secretPath,
    String secretKey,
    String method,
    Map<String, Object> secretArgs,
    int filePermission,
    String encoding) {
  /**
   * The methods upstream documents for reading: GET, and PUT or POST for secrets that are generated
   * on request. DELETE, LIST and the rest would let a mount (and every rotation poll after it)
   * change or enumerate Vault instead of reading from it.
   */
  private static final Set<String> READ_METHODS = Set.of("GET", "PUT", "POST");

  SecretConfig {
    Objects.requireNonNull(objectName, "objectName");
    Objects.requireNonNull(secretPath, "secretPath");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(encoding, "encoding");
    secretArgs =
        secretArgs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(secretArgs));
    if (filePermission < 0 || filePermission > 0777) {
      throw new IllegalArgumentException("filePermission must be between 0 and 0777");
    }
    if (!method.isEmpty() && !READ_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
      throw new IllegalArgumentException("method must be GET, PUT or POST");
    }
  }

  /**
   * The method sent: GET when empty, else as written in upper case (Vault's router matches upper
   * case only).
   */
  String requestMethod() {
    return method.isEmpty() ? "GET" : method.toUpperCase(Locale.ROOT);
  }

  /**
   * Upstream's {@code json.Marshal(config.Secret)}: the struct has no json tags, so the keys are
   * the Go field names, in declaration order, and nothing is omitted.
   */
  byte[] goJson() {
    StringBuilder out = new StringBuilder("{\"ObjectName\":");
    GoJsonEncoder.string(objectName, out);
    out.append(",\"SecretPath\":");
    GoJsonEncoder.string(secretPath, out);
    out.append(",\"SecretKey\":");
    GoJsonEncoder.string(secretKey, out);
    out.append(",\"Method\":");
    GoJsonEncoder.string(method, out);
    out.append(",\"SecretArgs\":");
    GoJsonEncoder.value(secretArgs, out);
    out.append(",\"FilePermission\":").append(filePermission);
    out.append(",\"Encoding\":");
    GoJsonEncoder.string(encoding, out);
    return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Names only: secretArgs may hold values a user would not want in a log. */
  @Override
  public String toString() {
    return "SecretConfig[objectName="
        + objectName
        + ", method="
        + requestMethod()
        + ", secretKey="
        + secretKey
        + ", secretArgs="
        + (secretArgs == null ? "none" : secretArgs.keySet())
        + "]";
  }
}
