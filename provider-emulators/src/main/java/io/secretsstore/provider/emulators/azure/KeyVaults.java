// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The vaults and their objects, and the Key Vault data-plane reads: {@code GET
 * /{vault}/{secrets|keys|certificates}/{name}[/{version}]} and {@code .../{name}/versions}. The
 * emulator serves every vault under one address, a vault's URL being the address plus {@code
 * /<vault name>}. Every call needs a bearer token from {@link ActiveDirectory} of the vault's
 * tenant, for resource {@code https://vault.azure.net}, of an application the vault lets read;
 * otherwise the answer is Key Vault's 401 challenge or 403. Thread-safe.
 */
final class KeyVaults {
  static final String RESOURCE = "https://vault.azure.net";

  /** The three collections of a vault. */
  enum Kind {
    SECRETS("secrets", "Secret"),
    KEYS("keys", "Key"),
    CERTIFICATES("certificates", "Certificate");

    final String path;
    final String label;

    Kind(String path, String label) {
      this.path = path;
      this.label = label;
    }
  }

  /**
   * One version: its id, creation time, whether enabled, and its fields besides id and attributes.
   */
  static final class Version {
    final String id;
    final Instant created;
    volatile boolean enabled = true;
    final Function<String, Map<String, Object>> fields;

    Version(String id, Instant created, Function<String, Map<String, Object>> fields) {
      this.id = id;
      this.created = created;
      this.fields = fields;
    }
  }

  private record Vault(
      String tenant, Set<String> readers, Map<Kind, Map<String, List<Version>>> items) {}

  private final ActiveDirectory directory;
  private final Map<String, Vault> vaults = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicLong> reads =
      new ConcurrentHashMap<>();
  private Instant lastCreated = Instant.EPOCH;

  KeyVaults(ActiveDirectory directory) {
    this.directory = directory;
  }

  void createVault(String name, String tenant) {
    directory.addTenant(tenant);
    Map<Kind, Map<String, List<Version>>> items = new ConcurrentHashMap<>();
    for (Kind kind : Kind.values()) {
      items.put(kind, new ConcurrentHashMap<>());
    }
    vaults.putIfAbsent(name, new Vault(tenant, ConcurrentHashMap.newKeySet(), items));
  }

  void allow(String vault, String clientId) {
    vault(vault).readers().add(clientId);
  }

  /**
   * Adds a version; {@code fields} builds the JSON fields from the vault URL. Returns the version
   * id.
   */
  String add(
      String vault,
      Kind kind,
      String name,
      String versionId,
      Function<String, Map<String, Object>> fields) {
    List<Version> versions =
        vault(vault).items().get(kind).computeIfAbsent(name, n -> new ArrayList<>());
    synchronized (versions) {
      versions.add(new Version(versionId, nextCreated(), fields));
    }
    return versionId;
  }

  static String newVersionId() {
    return HexFormat.of().formatHex(ActiveDirectory.randomBytes(16));
  }

  void setEnabled(String vault, Kind kind, String name, String versionId, boolean enabled) {
    find(vault(vault), kind, name, versionId, false).enabled = enabled;
  }

  /**
   * Key Vault's {@code created} has one-second resolution; keep versions of a test strictly
   * ordered.
   */
  private synchronized Instant nextCreated() {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    lastCreated = now.isAfter(lastCreated) ? now : lastCreated.plusSeconds(1);
    return lastCreated;
  }

  /** GET of one version (the latest when the path has none). */
  EmulatorResponse get(EmulatorRequest request, Kind kind) {
    String vaultName = request.pathParam("vault");
    Vault vault = authorized(request, vaultName);
    String version = request.pathParams().getOrDefault("version", "");
    Version found = find(vault, kind, request.pathParam("name"), version, true);
    reads
        .computeIfAbsent(
            request.pathParam("name"), n -> new java.util.concurrent.atomic.AtomicLong())
        .incrementAndGet();
    String vaultUrl = request.baseUri() + "/" + vaultName;
    return EmulatorResponse.json(200, body(vaultUrl, kind, request.pathParam("name"), found, true));
  }

  /** Authorized reads of objects with this name that returned a value. */
  long reads(String name) {
    java.util.concurrent.atomic.AtomicLong count = reads.get(name);
    return count == null ? 0 : count.get();
  }

  /** GET of the versions list (one page). */
  EmulatorResponse versions(EmulatorRequest request, Kind kind) {
    String vaultName = request.pathParam("vault");
    Vault vault = authorized(request, vaultName);
    String name = request.pathParam("name");
    List<Version> versions = vault.items().get(kind).get(name);
    if (versions == null) {
      throw notFound(kind, name);
    }
    String vaultUrl = request.baseUri() + "/" + vaultName;
    List<Map<String, Object>> value = new ArrayList<>();
    synchronized (versions) {
      for (Version version : versions) {
        value.add(body(vaultUrl, kind, name, version, false));
      }
    }
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("value", value);
    page.put("nextLink", null);
    return EmulatorResponse.json(200, page);
  }

  private Map<String, Object> body(
      String vaultUrl, Kind kind, String name, Version version, boolean full) {
    Map<String, Object> body = new LinkedHashMap<>();
    String id = vaultUrl + "/" + kind.path + "/" + name + "/" + version.id;
    Map<String, Object> fields = version.fields.apply(vaultUrl);
    if (kind == Kind.KEYS) {
      if (full) {
        @SuppressWarnings("unchecked")
        Map<String, Object> jwk = new LinkedHashMap<>((Map<String, Object>) fields.get("key"));
        jwk.put("kid", id);
        body.put("key", jwk);
      } else {
        body.put("kid", id);
      }
    } else {
      body.put("id", id);
      for (Map.Entry<String, Object> field : fields.entrySet()) {
        if (full
            || !field.getKey().equals("value")
                && !field.getKey().equals("cer")
                && !field.getKey().equals("policy")) {
          body.put(field.getKey(), field.getValue());
        }
      }
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("enabled", version.enabled);
    attributes.put("created", version.created.getEpochSecond());
    attributes.put("updated", version.created.getEpochSecond());
    attributes.put("recoveryLevel", "Recoverable+Purgeable");
    body.put("attributes", attributes);
    return body;
  }

  private Version find(
      Vault vault, Kind kind, String name, String versionId, boolean mustBeEnabled) {
    List<Version> versions = vault.items().get(kind).get(name);
    if (versions == null) {
      throw notFound(kind, name);
    }
    Version found;
    synchronized (versions) {
      found =
          versionId.isEmpty()
              ? versions.stream().max(Comparator.comparing((Version v) -> v.created)).orElse(null)
              : versions.stream().filter(v -> v.id.equals(versionId)).findFirst().orElse(null);
    }
    if (found == null) {
      throw notFound(kind, name);
    }
    if (mustBeEnabled && !found.enabled) {
      throw new KeyVaultError(
          403,
          "Forbidden",
          "Operation get is not allowed on a disabled "
              + kind.label.toLowerCase(java.util.Locale.ROOT)
              + ".",
          kind.label + "Disabled");
    }
    return found;
  }

  private Vault vault(String name) {
    Vault vault = vaults.get(name);
    if (vault == null) {
      throw new IllegalArgumentException("no vault " + name);
    }
    return vault;
  }

  /**
   * The vault, if the request carries a token this vault accepts; else the 401 challenge or 403.
   */
  private Vault authorized(EmulatorRequest request, String vaultName) {
    Vault vault = vaults.get(vaultName);
    if (vault == null) {
      throw new KeyVaultError(
          404,
          "VaultNotFound",
          "The vault " + ActiveDirectory.safe(vaultName) + " does not exist.",
          null);
    }
    String authorization = request.header("Authorization").orElse("");
    String challenge =
        "Bearer authorization=\""
            + request.baseUri()
            + "/"
            + vault.tenant()
            + "\", resource=\""
            + RESOURCE
            + "\"";
    if (!authorization.startsWith("Bearer ")) {
      throw new KeyVaultError(
              401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", null)
          .challenge(challenge);
    }
    ActiveDirectory.Grant grant =
        directory.grant(authorization.substring("Bearer ".length())).orElse(null);
    if (grant == null) {
      throw new KeyVaultError(
              401, "Unauthorized", "AKV10022: Invalid audience or expired token.", null)
          .challenge(challenge);
    }
    if (!grant.tenant().equals(vault.tenant())) {
      throw new KeyVaultError(401, "Unauthorized", "AKV10032: Invalid issuer.", null)
          .challenge(challenge);
    }
    if (!grant.resource().equals(RESOURCE)) {
      throw new KeyVaultError(401, "Unauthorized", "AKV10022: Invalid audience.", null)
          .challenge(challenge);
    }
    if (!vault.readers().contains(grant.clientId())) {
      throw new KeyVaultError(
          403,
          "Forbidden",
          "The user, group or application 'appid="
              + ActiveDirectory.safe(grant.clientId())
              + "' does not have "
              + "permission to read this vault.",
          "AccessDenied");
    }
    return vault;
  }

  private static KeyVaultError notFound(Kind kind, String name) {
    return new KeyVaultError(
        404,
        kind.label + "NotFound",
        "A "
            + kind.label.toLowerCase(java.util.Locale.ROOT)
            + " with (name/id) "
            + ActiveDirectory.safe(name)
            + " was not found in this key vault.",
        null);
  }

  /**
   * A Key Vault error: {@code {"error":{"code","message","innererror"}}}, with an optional
   * challenge header.
   */
  static final class KeyVaultError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    final String inner;
    String challenge;

    KeyVaultError(int status, String code, String message, String inner) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.inner = inner;
    }

    KeyVaultError challenge(String header) {
      this.challenge = header;
      return this;
    }

    EmulatorResponse response() {
      EmulatorResponse response = KeyVaults.error(status, code, getMessage(), inner);
      return challenge == null ? response : response.withHeader("WWW-Authenticate", challenge);
    }
  }

  static EmulatorResponse error(int status, String code, String message, String inner) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    if (inner != null) {
      error.put("innererror", Map.of("code", inner));
    }
    return EmulatorResponse.json(status, Map.of("error", error));
  }
}
