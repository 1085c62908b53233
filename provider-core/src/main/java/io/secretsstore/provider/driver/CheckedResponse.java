// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.grpc.MountReply.ReturnedFile;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A MountResponse the driver accepts: what it records and what it writes.
 *
 * @param versions object id to version, as the driver records them (last duplicate wins), by id
 * @param files the files to write by path (last duplicate wins); empty in legacy mode
 * @param warnings what the driver would log or what a user should know, never contents
 * @param serializedBytes the response's size on the wire
 */
public record CheckedResponse(
    SortedMap<String, String> versions,
    SortedMap<String, ReturnedFile> files,
    List<String> warnings,
    int serializedBytes) {
  public CheckedResponse {
    versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    warnings = List.copyOf(warnings);
  }

  /**
   * Whether the provider returned no files: the legacy mode in which a provider writes into the
   * target path itself, and the driver writes nothing.
   */
  public boolean providerWritesFiles() {
    return files.isEmpty();
  }
}
