// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.CallCounter;
import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.EmulatorServer;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HashiCorp Vault as the provider sees it: KV v1 and v2, PKI {@code issue}, database {@code creds}
 * with leases, {@code sys/leases} renew and revoke, and Kubernetes/JWT auth logins with
 * service-account JWTs this emulator mints. Enterprise namespaces are selected with {@code
 * X-Vault-Namespace}; {@code ""} is the root namespace.
 *
 * <p>Every path but login needs the {@code X-Vault-Token} of a live login in the same namespace
 * whose role allows the path ({@link VaultRole#allowedPathPrefixes}); otherwise 403 {@code
 * permission denied}. Errors are Vault's {@code {"errors":[...]}}, and 404 has an empty list.
 *
 * <p>Operations, for {@link #calls()} and {@link #faults()}: {@code vault.login}, {@code
 * vault.read} (GET), {@code vault.write} (PUT/POST), {@code vault.renew}, {@code vault.revoke}.
 * The resource of a call is its API path without {@code /v1/} or query, e.g. {@code
 * secret/data/app/db}, so {@code faults().inject("vault.read", "secret/data/app/db", fault, n)}
 * fails one secret.
 *
 * <p>Seeding methods are thread-safe and work before and after {@link #start}.
 */
public final class VaultEmulator implements CloudEmulator {
  /** The auth mount the provider logs in at unless told otherwise. */
  public static final String DEFAULT_AUTH_MOUNT = "kubernetes";

  private final FaultPlan faults = new FaultPlan();
  private final CallCounter calls = new CallCounter();
  private final ServiceAccountTokens serviceAccounts = new ServiceAccountTokens();
  private final Tokens tokens = new Tokens();
  private final Leases leases = new Leases();
  private final Mounts mounts = new Mounts();
  private final KubernetesAuth auth = new KubernetesAuth(serviceAccounts, tokens);
  private final AtomicInteger certificates = new AtomicInteger();
  private final AtomicInteger databaseCredentials = new AtomicInteger();
  private EmulatorServer server;
  private EmulatorOptions options;

  /** An emulator with nothing seeded; no I/O until {@link #start}. */
  public VaultEmulator() {}

  @Override
  public String name() {
    return "vault";
  }

  /** Stores a new version (1, 2, ...) of a KV v2 secret, read at {@code /v1/<mount>/data/<path>}. */
  public void putKv2(String namespace, String mount, String path, Map<String, Object> data) {
    kv(namespace, mount, true).put(path, Objects.requireNonNull(data, "data"));
  }

  /** Stores (replaces) a KV v1 secret, read at {@code /v1/<mount>/<path>}. */
  public void putKv1(String namespace, String mount, String path, Map<String, Object> data) {
    kv(namespace, mount, false).put(path, Objects.requireNonNull(data, "data"));
  }

  /** Adds (or replaces) a role at an auth mount such as {@code kubernetes} or {@code jwt}. */
  public void addRole(String namespace, String authMount, VaultRole role) {
    auth.addRole(ns(namespace), authMount, Objects.requireNonNull(role, "role"));
  }

  /**
   * A service-account JWT as the Kubernetes API server would issue it, signed with this emulator's
   * key (ES256): {@code iss}, {@code sub} {@code system:serviceaccount:<ns>:<sa>}, {@code aud}
   * [audience] (the API server's own when null), {@code iat}, {@code nbf}, {@code exp} and {@code
   * kubernetes.io}. A zero or negative {@code ttl} gives an already expired token, for tests.
   */
  public String mintServiceAccountToken(String namespace, String serviceAccount, String audience, Duration ttl) {
    return serviceAccounts.mint(
        Objects.requireNonNull(namespace, "namespace"),
        Objects.requireNonNull(serviceAccount, "serviceAccount"),
        audience,
        Objects.requireNonNull(ttl, "ttl"));
  }

  /** Mounts PKI (with a new root CA) if needed and adds a role for {@code <mount>/issue/<role>}. */
  public void enablePki(String namespace, String mount, String role, Duration maxTtl) {
    String name = Mounts.trimSlashes(mount);
    mounts.mount(ns(namespace), name, PkiEngine.class, PkiEngine.TYPE, () -> new PkiEngine(name, certificates)).addRole(role, maxTtl);
  }

  /** The root CA of a PKI mount enabled with {@link #enablePki}. */
  public X509Certificate pkiCaCertificate(String namespace, String mount) {
    String name = Mounts.trimSlashes(mount);
    return mounts.mount(ns(namespace), name, PkiEngine.class, PkiEngine.TYPE, () -> new PkiEngine(name, certificates)).caCertificate();
  }

  /** Mounts the database engine if needed and adds a role for {@code <mount>/creds/<role>}. */
  public void enableDatabase(String namespace, String mount, String role, Duration leaseTtl) {
    String name = Mounts.trimSlashes(mount);
    mounts
        .mount(ns(namespace), name, DatabaseEngine.class, DatabaseEngine.TYPE, () -> new DatabaseEngine(name, leases, databaseCredentials))
        .addRole(role, leaseTtl);
  }

  /** Revokes every Vault token: later calls with them get 403 and must log in again. */
  public void revokeAllTokens() {
    tokens.revokeAll();
  }

  /** Successful logins. */
  public int loginCount() {
    return auth.logins.get();
  }

  /** Certificates issued by PKI mounts. */
  public int certificatesIssued() {
    return certificates.get();
  }

  /** Database credentials issued. */
  public int databaseCredentialsIssued() {
    return databaseCredentials.get();
  }

  /** Successful lease renewals. */
  public int leasesRenewed() {
    return leases.renewed.get();
  }

  /** Leases revoked (revoking an unknown lease succeeds but is not counted). */
  public int leasesRevoked() {
    return leases.revoked.get();
  }

  /** The ids of leases neither revoked nor expired. */
  public Set<String> activeLeaseIds() {
    return leases.activeIds();
  }

  @Override
  public synchronized StartedEmulator start(EmulatorOptions emulatorOptions) throws IOException {
    if (server != null) {
      throw new IllegalStateException("the vault emulator is already started");
    }
    server = EmulatorServer.start(emulatorOptions.server(name()).withFaults(faults).withCalls(calls).withErrors(new VaultErrors()));
    options = emulatorOptions;
    new VaultApi(mounts, auth, tokens, leases).register(server);
    Map<String, URI> endpoints = new LinkedHashMap<>();
    endpoints.put("http", server.httpUrl());
    endpoints.put("https", server.httpsUrl());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("VAULT_ADDR", server.httpUrl().toString());
    settings.put("VAULT_ADDR_TLS", server.httpsUrl().toString());
    settings.put("VAULT_CACERT", options.caFile().toString());
    return new StartedEmulator(name(), endpoints, settings);
  }

  /** Seeds the sample secrets and role of the {@code vault} backend's demo; see {@link VaultDemo}. */
  @Override
  public Optional<DemoScenario> demo(StartedEmulator started) {
    return Optional.of(VaultDemo.seed(this, started));
  }

  @Override
  public FaultPlan faults() {
    return faults;
  }

  @Override
  public CallCounter calls() {
    return calls;
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  private KvEngine kv(String namespace, String mount, boolean versioned) {
    return mounts.mount(
        ns(namespace), mount, KvEngine.class, versioned ? KvEngine.V2 : KvEngine.V1, () -> new KvEngine(versioned));
  }

  private static String ns(String namespace) {
    return namespace == null ? "" : Mounts.trimSlashes(namespace);
  }
}
