// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretsstore.provider.emulators.EmulatorResponse;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Vault's response envelope, every field present: vault-java-driver and vault/api read fields
 * without null checks, so a missing one fails the client rather than the test.
 */
final class Envelope {
  static final ObjectMapper JSON = new ObjectMapper();
  static final SecureRandom RANDOM = new SecureRandom();

  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private Envelope() {}

  /** A secret response: {@code data} with an optional lease. */
  static EmulatorResponse secret(
      Object data, String leaseId, long leaseSeconds, boolean renewable) {
    return EmulatorResponse.json(200, body(leaseId, renewable, leaseSeconds, data, null));
  }

  /** A login response: no data, the token under {@code auth}. */
  static EmulatorResponse auth(Map<String, Object> auth) {
    return EmulatorResponse.json(200, body("", false, 0, null, auth));
  }

  private static Map<String, Object> body(
      String leaseId, boolean renewable, long leaseSeconds, Object data, Object auth) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("request_id", UUID.randomUUID().toString());
    body.put("lease_id", leaseId);
    body.put("renewable", renewable);
    body.put("lease_duration", leaseSeconds);
    body.put("data", data);
    body.put("wrap_info", null);
    body.put("warnings", null);
    body.put("auth", auth);
    return body;
  }

  /** Random letters and digits, e.g. for user names, passwords and token suffixes. */
  static String randomAlphanumeric(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    }
    return text.toString();
  }
}
