// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The database secrets engine: {@code creds/<role>} mints a new user name and password on every
 * read, under a renewable lease {@code <mount>/creds/<role>/<random>}.
 */
final class DatabaseEngine implements SecretsEngine {
  static final String TYPE = "database";

  private final String mount;
  private final Leases leases;
  private final AtomicInteger issued;
  private final Map<String, Duration> roles = new ConcurrentHashMap<>();

  DatabaseEngine(String mount, Leases leases, AtomicInteger issued) {
    this.mount = Mounts.trimSlashes(mount);
    this.leases = leases;
    this.issued = issued;
  }

  @Override
  public String type() {
    return TYPE;
  }

  void addRole(String role, Duration leaseTtl) {
    if (leaseTtl.isNegative() || leaseTtl.isZero()) {
      throw new IllegalArgumentException("leaseTtl must be positive");
    }
    roles.put(role, leaseTtl);
  }

  @Override
  public EmulatorResponse read(String namespace, String path, EmulatorRequest request) {
    if (!path.startsWith("creds/")) {
      throw SecretsEngine.notFound();
    }
    String role = path.substring("creds/".length());
    Duration ttl = roles.get(role);
    if (ttl == null) {
      throw SecretsEngine.notFound();
    }
    Leases.Lease lease = leases.create(namespace, mount + "/creds/" + role, ttl);
    Map<String, Object> data = new LinkedHashMap<>();
    // Vault's default template: v-<auth display name>-<role>-<random>-<unix time>.
    data.put(
        "username",
        "v-kubernetes-"
            + role
            + "-"
            + Envelope.randomAlphanumeric(20)
            + "-"
            + Instant.now().getEpochSecond());
    data.put("password", Envelope.randomAlphanumeric(8) + "-" + Envelope.randomAlphanumeric(12));
    issued.incrementAndGet();
    return Envelope.secret(data, lease.id(), lease.ttl().toSeconds(), true);
  }
}
