// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The access keys this emulator issued (STS, Pod Identity) plus one static pair, and which name
 * prefixes each role may read. Thread-safe.
 */
final class Credentials {
  static final SecureRandom RANDOM = new SecureRandom();
  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** One issued key: a null role and token is the static, unrestricted pair. */
  record Session(
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      String roleArn,
      Instant expiration) {}

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, List<String>> prefixes = new ConcurrentHashMap<>();
  private final Session staticPair;

  Credentials() {
    staticPair =
        new Session("AKIA" + random(UPPER, 16), random(ALNUM, 40), null, null, Instant.MAX);
    sessions.put(staticPair.accessKeyId(), staticPair);
  }

  Session staticPair() {
    return staticPair;
  }

  Session issue(String roleArn, Instant expiration) {
    Session session =
        new Session(
            "ASIA" + random(UPPER, 16), random(ALNUM, 40), random(ALNUM, 300), roleArn, expiration);
    sessions.put(session.accessKeyId(), session);
    return session;
  }

  /** Makes every issued session expire now (the static pair stays valid). */
  void expireSessions() {
    Instant past = Instant.now().minusSeconds(1);
    sessions.replaceAll(
        (id, s) ->
            s.sessionToken() == null
                ? s
                : new Session(id, s.secretAccessKey(), s.sessionToken(), s.roleArn(), past));
  }

  Session find(String accessKeyId) {
    return sessions.get(accessKeyId);
  }

  void allow(String roleArn, String... namePrefixes) {
    prefixes
        .computeIfAbsent(roleArn, r -> new CopyOnWriteArrayList<>())
        .addAll(List.of(namePrefixes));
  }

  /** Whether a caller may touch a secret or parameter of this name. */
  boolean allowed(Session session, String name) {
    if (session.roleArn() == null) {
      return true;
    }
    return prefixes.getOrDefault(session.roleArn(), List.of()).stream().anyMatch(name::startsWith);
  }

  static String random(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  static String randomAlphanumeric(int length) {
    return random(ALNUM, length);
  }
}
