// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secretsstore.provider.emulators.EmulatorError;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KV secrets engine, version 1 ({@code <mount>/<path>}, the map itself) or version 2 ({@code
 * <mount>/data/<path>}, versioned, data and metadata). Thread-safe.
 */
final class KvEngine implements SecretsEngine {
  static final String V1 = "kv-v1";
  static final String V2 = "kv-v2";
  // What Vault reports for a KV v1 read: a refresh hint of 32 days, without a lease id.
  private static final long KV1_LEASE_SECONDS = 2_764_800L;

  private record Version(ObjectNode data, Instant created) {}

  private final boolean versioned;
  private final Map<String, List<Version>> secrets = new HashMap<>();

  KvEngine(boolean versioned) {
    this.versioned = versioned;
  }

  @Override
  public String type() {
    return versioned ? V2 : V1;
  }

  /** Stores a new version of a secret and returns its number (1, 2, ...). */
  synchronized int put(String path, Object data) {
    JsonNode node = Envelope.JSON.valueToTree(data);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("KV data must be a JSON object");
    }
    List<Version> versions =
        secrets.computeIfAbsent(Mounts.trimSlashes(path), p -> new ArrayList<>());
    if (!versioned) {
      versions.clear();
    }
    versions.add(new Version((ObjectNode) node, Instant.now()));
    return versions.size();
  }

  @Override
  public synchronized EmulatorResponse read(
      String namespace, String path, EmulatorRequest request) {
    if (!versioned) {
      Version latest = latest(path);
      return Envelope.secret(latest.data(), "", KV1_LEASE_SECONDS, false);
    }
    List<Version> versions = secrets.get(dataPath(path));
    if (versions == null) {
      throw SecretsEngine.notFound();
    }
    int number = request.queryParam("version").map(KvEngine::versionNumber).orElse(0);
    if (number == 0) {
      number = versions.size();
    }
    if (number > versions.size()) {
      throw SecretsEngine.notFound();
    }
    Version version = versions.get(number - 1);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("data", version.data());
    data.put("metadata", metadata(version, number));
    return Envelope.secret(data, "", 0, false);
  }

  @Override
  public EmulatorResponse write(String namespace, String path, EmulatorRequest request) {
    JsonNode body = request.json();
    if (!versioned) {
      if (!body.isObject()) {
        throw new EmulatorError(400, "the request body must be a JSON object");
      }
      put(path, body);
      return EmulatorResponse.empty(204);
    }
    String key = dataPath(path);
    if (!body.path("data").isObject()) {
      throw new EmulatorError(400, "no data provided");
    }
    synchronized (this) {
      int number = put(key, body.get("data"));
      return Envelope.secret(metadata(secrets.get(key).get(number - 1), number), "", 0, false);
    }
  }

  private Version latest(String path) {
    List<Version> versions = secrets.get(path);
    if (versions == null || versions.isEmpty()) {
      throw SecretsEngine.notFound();
    }
    return versions.get(versions.size() - 1);
  }

  private static String dataPath(String path) {
    if (!path.startsWith("data/") || path.length() == "data/".length()) {
      throw SecretsEngine.notFound();
    }
    return path.substring("data/".length());
  }

  private static Map<String, Object> metadata(Version version, int number) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("created_time", version.created().toString());
    metadata.put("custom_metadata", null);
    metadata.put("deletion_time", "");
    metadata.put("destroyed", false);
    metadata.put("version", number);
    return metadata;
  }

  private static int versionNumber(String text) {
    try {
      int number = Integer.parseInt(text.trim());
      if (number < 0) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new EmulatorError(400, "version must be a non-negative integer");
    }
  }
}
