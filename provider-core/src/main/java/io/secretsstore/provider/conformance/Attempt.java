// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One Mount call and how it ended: a reply, or a non-OK status.
 *
 * @param reply the response when the status was OK
 * @param failure the status otherwise
 * @param took how long the call took
 */
record Attempt(Optional<MountReply> reply, Optional<ProviderCallException> failure, Duration took) {
  private static final int MAX_SHOWN = 160;

  boolean ok() {
    return reply.isPresent();
  }

  /** OK, and no {@code error.code}: what the driver treats as success. */
  boolean succeeded() {
    return reply.filter(r -> r.errorCode().isEmpty()).isPresent();
  }

  /** The gRPC code name, {@code OK} for a reply. */
  String code() {
    return failure.map(ProviderCallException::code).orElse("OK");
  }

  /** The status description, empty for a reply. */
  String description() {
    return failure.map(ProviderCallException::description).orElse("");
  }

  /** The returned files by path: path to contents, as the driver would write them. */
  SortedMap<String, String> files() {
    SortedMap<String, String> files = new TreeMap<>();
    reply.ifPresent(
        r ->
            r.files()
                .forEach(
                    f -> files.put(f.path(), java.util.HexFormat.of().formatHex(f.contents()))));
    return files;
  }

  /** Object id to version, as the driver records them. */
  SortedMap<String, String> versions() {
    SortedMap<String, String> versions = new TreeMap<>();
    reply.ifPresent(r -> r.versions().forEach(v -> versions.put(v.id(), v.version())));
    return versions;
  }

  /**
   * A one-line summary for the report: the code and, for a failure, the start of its description
   * with control characters replaced. The description is the provider's own text, which the driver
   * shows in pod events anyway; a planted canary is found before printing.
   */
  String summary() {
    if (reply.isPresent()) {
      MountReply r = reply.get();
      return r.errorCode().isEmpty()
          ? "OK (" + r.files().size() + " files, " + r.versions().size() + " versions)"
          : "OK with error.code " + shown(r.errorCode());
    }
    return code() + " \"" + shown(description()) + "\"";
  }

  /** Whether the status or error code contains any of the texts. */
  boolean mentionsAny(List<String> texts) {
    String all = description() + reply.map(MountReply::errorCode).orElse("");
    String lower = all.toLowerCase(Locale.ROOT);
    return texts.stream()
        .anyMatch(t -> all.contains(t) || lower.contains(t.toLowerCase(Locale.ROOT)));
  }

  static String shown(String text) {
    String flat =
        text.codePoints()
            .map(c -> Character.isISOControl(c) ? ' ' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return flat.length() <= MAX_SHOWN ? flat : flat.substring(0, MAX_SHOWN) + "...";
  }
}
