// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.json.JsonTexts;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Finds secret values served under more than one owner (backend, namespace, object) in audit logs,
 * by their keyed fingerprints: it shows reuse without ever seeing a value.
 */
public final class FingerprintReport {
  private final Map<String, Set<String>> owners = new TreeMap<>();
  private int events;
  private int skipped;

  /**
   * One value served under several owners.
   *
   * @param fingerprint the keyed fingerprint
   * @param owners {@code backend namespace/object} of each owner
   */
  public record Reuse(String fingerprint, List<String> owners) {}

  /**
   * Reads audit events, one JSON object per line; lines that are not events are counted and
   * skipped.
   */
  public void read(BufferedReader lines) throws IOException {
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode event;
      try {
        event = JsonMappers.READER.readTree(line);
      } catch (JacksonException e) {
        skipped++;
        continue;
      }
      String fingerprint = JsonTexts.asText(event.path("fingerprint"), "");
      if (!event.isObject()
          || fingerprint.isEmpty()
          || !"OK".equals(JsonTexts.asText(event.path("outcome")))) {
        skipped += event.isObject() ? 0 : 1;
        continue;
      }
      events++;
      owners
          .computeIfAbsent(fingerprint, f -> new TreeSet<>())
          .add(
              JsonTexts.asText(event.path("backend"))
                  + " "
                  + JsonTexts.asText(event.path("namespace"))
                  + "/"
                  + JsonTexts.asText(event.path("objectId")));
    }
  }

  /** Values served under two or more owners, most owners first. */
  public List<Reuse> reuses() {
    List<Reuse> reuses = new ArrayList<>();
    owners.forEach(
        (fingerprint, set) -> {
          if (set.size() > 1) {
            reuses.add(new Reuse(fingerprint, List.copyOf(set)));
          }
        });
    reuses.sort((a, b) -> Integer.compare(b.owners().size(), a.owners().size()));
    return reuses;
  }

  /** Successful object accesses read. */
  public int events() {
    return events;
  }

  /** Lines that were not JSON objects. */
  public int skipped() {
    return skipped;
  }

  /** Distinct values seen. */
  public int distinctValues() {
    return owners.size();
  }
}
