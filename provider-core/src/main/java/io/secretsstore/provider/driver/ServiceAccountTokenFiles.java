// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.json.GoJson;
import io.secretsstore.provider.mount.SafeText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pod's service-account tokens from {@code --token AUDIENCE=FILE}, as the value kubelet puts in
 * {@code csi.storage.k8s.io/serviceAccount.tokens}: Go's JSON of {@code
 * map[audience]TokenRequestStatus}, i.e. {@code {"<aud>":{"token":"<JWT>","expirationTimestamp":
 * "<RFC 3339>"}}}. The tokens themselves never appear in messages or {@link #toString()}.
 */
public final class ServiceAccountTokenFiles {
  /** Used when a token carries no readable {@code exp}: kubelet's default token lifetime. */
  static final Duration FALLBACK_LIFETIME = Duration.ofHours(1);

  private static final int MAX_TOKEN_BYTES = 64 * 1024;

  private final String json;
  private final Set<String> audiences;
  private final List<String> notes;

  private ServiceAccountTokenFiles(String json, Set<String> audiences, List<String> notes) {
    this.json = json;
    this.audiences = audiences;
    this.notes = List.copyOf(notes);
  }

  /**
   * Reads one token file per audience.
   *
   * @param now the time the fallback expiry counts from
   */
  public static ServiceAccountTokenFiles read(Map<String, Path> filesByAudience, Instant now) {
    SortedMap<String, String[]> entries = new TreeMap<>(GoJson.GO_KEY_ORDER);
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, Path> entry : filesByAudience.entrySet()) {
      String audience = entry.getKey();
      String token = readToken(entry.getValue(), audience);
      Instant expiry =
          JwtExpiry.of(token)
              .orElseGet(
                  () -> {
                    notes.add(
                        "the token for audience "
                            + SafeText.name(audience, entries.size())
                            + " has no readable exp claim; its expirationTimestamp is now + 1h");
                    return now.plus(FALLBACK_LIFETIME);
                  });
      entries.put(audience, new String[] {token, rfc3339(expiry)});
    }
    return new ServiceAccountTokenFiles(json(entries), Set.copyOf(entries.keySet()), notes);
  }

  /**
   * Placeholder tokens, one per audience, valid until {@code expiry}: what a dry run (the migration
   * check) passes where kubelet would pass real ones. They are no JWTs, so nothing can verify them.
   */
  public static ServiceAccountTokenFiles placeholders(Set<String> audiences, Instant expiry) {
    SortedMap<String, String[]> entries = new TreeMap<>(GoJson.GO_KEY_ORDER);
    audiences.forEach(
        audience -> entries.put(audience, new String[] {"dry-run-placeholder", rfc3339(expiry)}));
    return new ServiceAccountTokenFiles(json(entries), Set.copyOf(entries.keySet()), List.of());
  }

  private static String json(SortedMap<String, String[]> entries) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, String[]> entry : entries.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      // Field order of Go's TokenRequestStatus: token, then expirationTimestamp.
      GoJson.quote(entry.getKey(), out).append(":{\"token\":");
      GoJson.quote(entry.getValue()[0], out).append(",\"expirationTimestamp\":");
      GoJson.quote(entry.getValue()[1], out).append('}');
    }
    return out.append('}').toString();
  }

  private static String readToken(Path file, String audience) {
    String name =
        "--token " + (SafeText.isPlainName(audience) ? audience : "(audience)") + "=" + file;
    if (audience.isEmpty()) {
      throw new DriverFailure("--token needs AUDIENCE=FILE with a non-empty audience");
    }
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_TOKEN_BYTES) {
        throw new DriverFailure(name + ": the file is larger than " + MAX_TOKEN_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DriverFailure("cannot read " + name + " (" + e.getClass().getSimpleName() + ")");
    }
    String token = new String(bytes, StandardCharsets.UTF_8).strip();
    if (token.isEmpty()) {
      throw new DriverFailure(name + ": the file is empty");
    }
    return token;
  }

  /** metav1.Time's JSON form: UTC, whole seconds. */
  static String rfc3339(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** The attribute value, a JSON string holding the tokens by audience. */
  public String json() {
    return json;
  }

  /** The audiences (names only). */
  public Set<String> audiences() {
    return audiences;
  }

  /** What was assumed while reading, for the user. */
  public List<String> notes() {
    return notes;
  }

  @Override
  public String toString() {
    return "ServiceAccountTokenFiles[audiences=" + new TreeSet<>(audiences) + "]";
  }
}
