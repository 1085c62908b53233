// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Vault response as vault/api's {@code ParseSecret} reads it into {@code api.Secret}. Holds
 * secret data, so {@link #toString()} shows only the lease and the data's key count.
 *
 * @param requestId {@code request_id}
 * @param leaseId {@code lease_id}, empty when the response has no lease
 * @param leaseDuration {@code lease_duration} in seconds
 * @param renewable {@code renewable}
 * @param data {@code data}, or null
 * @param warnings {@code warnings}, or null
 * @param auth {@code auth}, or null (omitted from the JSON then)
 * @param wrapInfo {@code wrap_info}, or null (omitted from the JSON then)
 * @param mountType {@code mount_type}, empty to omit
 */
record VaultSecret(
    String requestId,
    String leaseId,
    long leaseDuration,
    boolean renewable,
    Map<String, Object> data,
    List<Object> warnings,
    Map<String, Object> auth,
    Map<String, Object> wrapInfo,
    String mountType) {

  VaultSecret {
    data = data == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    warnings = warnings == null ? null : Collections.unmodifiableList(new ArrayList<>(warnings));
    auth = auth == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(auth));
    wrapInfo = wrapInfo == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(wrapInfo));
  }

  /**
   * Whether the response carries a lease that must be renewed or revoked (KV v1's TTL hint has no
   * id).
   */
  boolean leased() {
    return !leaseId.isEmpty() && leaseDuration > 0;
  }

  /**
   * Parses a response body. Empty when the body is empty or holds only {@code errors}, as
   * ParseSecret's nil; a body with fields outside api.Secret becomes its data, as ParseSecret does.
   *
   * @throws IllegalArgumentException when the body is not a JSON object (message constant)
   */
  @SuppressWarnings("unchecked") // JSON objects are read as String-keyed maps
  static Optional<VaultSecret> parse(byte[] body) {
    if (body.length == 0) {
      return Optional.empty();
    }
    Object parsed =
        VaultJson.parse(body)
            .orElseThrow(() -> new IllegalArgumentException("Vault's response is not JSON"));
    if (!(parsed instanceof Map<?, ?> raw)) {
      throw new IllegalArgumentException("Vault's response is not a JSON object");
    }
    Map<String, Object> map = (Map<String, Object>) raw;
    VaultSecret secret =
        new VaultSecret(
            text(map.get("request_id")),
            text(map.get("lease_id")),
            number(map.get("lease_duration")),
            Boolean.TRUE.equals(map.get("renewable")),
            object(map.get("data")),
            list(map.get("warnings")),
            object(map.get("auth")),
            object(map.get("wrap_info")),
            text(map.get("mount_type")));
    if (secret.isZero()) {
      if (map.isEmpty() || (map.size() == 1 && map.containsKey("errors"))) {
        return Optional.empty();
      }
      if (map.containsKey("errors")) {
        throw new IllegalArgumentException("Vault's response holds errors");
      }
      return Optional.of(new VaultSecret("", "", 0, false, map, null, null, null, ""));
    }
    return Optional.of(secret);
  }

  /**
   * {@code json.Marshal(api.Secret)}: fields in struct order, the last three omitted when empty.
   */
  byte[] goJson() {
    StringBuilder out = new StringBuilder("{\"request_id\":");
    GoJsonEncoder.string(requestId, out);
    out.append(",\"lease_id\":");
    GoJsonEncoder.string(leaseId, out);
    out.append(",\"lease_duration\":").append(leaseDuration);
    out.append(",\"renewable\":").append(renewable);
    out.append(",\"data\":");
    GoJsonEncoder.value(data, out);
    out.append(",\"warnings\":");
    GoJsonEncoder.value(warnings, out);
    if (auth != null) {
      out.append(",\"auth\":");
      struct(auth, AUTH_FIELDS, out);
    }
    if (wrapInfo != null) {
      out.append(",\"wrap_info\":");
      struct(wrapInfo, WRAP_FIELDS, out);
    }
    if (!mountType.isEmpty()) {
      out.append(",\"mount_type\":");
      GoJsonEncoder.string(mountType, out);
    }
    return out.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** api.SecretAuth's fields in order, with the zero value Go writes for an absent one. */
  private static final List<Map.Entry<String, Object>> AUTH_FIELDS =
      List.of(
          Map.entry("client_token", ""),
          Map.entry("accessor", ""),
          Map.entry("policies", NullValue.NULL),
          Map.entry("token_policies", NullValue.NULL),
          Map.entry("identity_policies", NullValue.NULL),
          Map.entry("metadata", NullValue.NULL),
          Map.entry("orphan", false),
          Map.entry("entity_id", ""),
          Map.entry("lease_duration", 0L),
          Map.entry("renewable", false),
          Map.entry("mfa_requirement", NullValue.NULL));

  /** api.SecretWrapInfo's fields in order. */
  private static final List<Map.Entry<String, Object>> WRAP_FIELDS =
      List.of(
          Map.entry("token", ""),
          Map.entry("accessor", ""),
          Map.entry("ttl", 0L),
          Map.entry("creation_time", "0001-01-01T00:00:00Z"),
          Map.entry("creation_path", ""),
          Map.entry("wrapped_accessor", ""));

  /** Map.entry cannot hold null. */
  private enum NullValue {
    NULL
  }

  private static void struct(
      Map<String, Object> values, List<Map.Entry<String, Object>> fields, StringBuilder out) {
    out.append('{');
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).getKey();
      Object zero = fields.get(i).getValue() == NullValue.NULL ? null : fields.get(i).getValue();
      out.append(i == 0 ? "" : ",");
      GoJsonEncoder.string(name, out);
      out.append(':');
      GoJsonEncoder.value(values.containsKey(name) ? values.get(name) : zero, out);
    }
    out.append('}');
  }

  private boolean isZero() {
    return requestId.isEmpty()
        && leaseId.isEmpty()
        && leaseDuration == 0
        && !renewable
        && data == null
        && warnings == null
        && auth == null
        && wrapInfo == null
        && mountType.isEmpty();
  }

  private static String text(Object value) {
    return value instanceof String s ? s : "";
  }

  private static long number(Object value) {
    if (value instanceof GoJsonEncoder.RawNumber number) {
      try {
        return Long.parseLong(number.literal());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value instanceof List<?> list ? (List<Object>) list : null;
  }

  @Override
  public String toString() {
    return "VaultSecret[leaseId="
        + (leaseId.isEmpty() ? "none" : "<set>")
        + ", leaseDuration="
        + leaseDuration
        + ", renewable="
        + renewable
        + ", dataKeys="
        + (data == null ? 0 : data.size())
        + "]";
  }
}
