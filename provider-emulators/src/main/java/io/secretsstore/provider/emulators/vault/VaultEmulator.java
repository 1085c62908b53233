// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.CallCounter;
import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.EmulatorServer;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.SeedNode;
import io.secretsstore.provider.emulators.SeededIdentity;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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
 * vault.read} (GET), {@code vault.write} (PUT/POST), {@code vault.renew}, {@code vault.revoke}. The
 * resource of a call is its API path without {@code /v1/} or query, e.g. {@code
 * secret/data/app/db}, so {@code faults().inject("vault.read", "secret/data/app/db", fault, n)}
 * fails one secret.
 *
 * <p>{@code GET sys/mounts} (a {@code vault.read}, allowed when a role's prefixes include {@code
 * sys/mounts}) lists the namespace's mounts with their KV versions, as vault-java-driver expects.
 * Besides those, {@code vault.health} ({@code GET sys/health}, no token), {@code
 * vault.token.lookup} ({@code GET auth/token/lookup-self}) and {@code vault.token.renew} ({@code
 * auth/token/renew-self}) are served for clients that check Vault or keep their token alive.
 *
 * <p>TLS: {@code https} presents the shared emulator certificate ({@code VAULT_CACERT}). With
 * {@link #requireClientCertificates} it also demands a client certificate from {@link
 * #writeClientCertificate}.
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
  private boolean mutualTls;
  private PkiEngine clientCa;
  private EmulatorServer server;
  private MutualTlsProxy mutualTlsProxy;

  /** An emulator with nothing seeded; no I/O until {@link #start}. */
  public VaultEmulator() {}

  @Override
  public String name() {
    return "vault";
  }

  /**
   * Stores a new version (1, 2, ...) of a KV v2 secret, read at {@code /v1/<mount>/data/<path>}.
   */
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
   * key (RS256): {@code iss}, {@code sub} {@code system:serviceaccount:<ns>:<sa>}, {@code aud}
   * [audience] (the API server's own when null), {@code iat}, {@code nbf}, {@code exp} and {@code
   * kubernetes.io}. A zero or negative {@code ttl} gives an already expired token, for tests.
   */
  public String mintServiceAccountToken(
      String namespace, String serviceAccount, String audience, Duration ttl) {
    return serviceAccounts.mint(
        Objects.requireNonNull(namespace, "namespace"),
        Objects.requireNonNull(serviceAccount, "serviceAccount"),
        audience,
        Objects.requireNonNull(ttl, "ttl"));
  }

  /** Mounts PKI (with a new root CA) if needed and adds a role for {@code <mount>/issue/<role>}. */
  public void enablePki(String namespace, String mount, String role, Duration maxTtl) {
    String name = Mounts.trimSlashes(mount);
    mounts
        .mount(
            ns(namespace),
            name,
            PkiEngine.class,
            PkiEngine.TYPE,
            () -> new PkiEngine(name, certificates))
        .addRole(role, maxTtl);
  }

  /** The root CA of a PKI mount enabled with {@link #enablePki}; an error for any other mount. */
  public X509Certificate pkiCaCertificate(String namespace, String mount) {
    return mounts
        .mount(
            ns(namespace),
            mount,
            PkiEngine.class,
            PkiEngine.TYPE,
            () -> {
              throw new IllegalStateException(
                  "no PKI mount " + mount + " in namespace \"" + ns(namespace) + "\"");
            })
        .caCertificate();
  }

  /** Mounts the database engine if needed and adds a role for {@code <mount>/creds/<role>}. */
  public void enableDatabase(String namespace, String mount, String role, Duration leaseTtl) {
    String name = Mounts.trimSlashes(mount);
    mounts
        .mount(
            ns(namespace),
            name,
            DatabaseEngine.class,
            DatabaseEngine.TYPE,
            () -> new DatabaseEngine(name, leases, databaseCredentials))
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
    mutualTls |=
        emulatorOptions
            .property(name(), "require-client-certificates")
            .map(Boolean::parseBoolean)
            .orElse(false);
    server =
        EmulatorServer.start(
            emulatorOptions
                .server(name())
                .withFaults(faults)
                .withCalls(calls)
                .withErrors(new VaultErrors()));
    new VaultApi(mounts, auth, tokens, leases).register(server);
    URI https = server.httpsUrl();
    if (mutualTls) {
      try {
        mutualTlsProxy =
            MutualTlsProxy.start(
                emulatorOptions.tls(), clientCa().caCertificate(), server.httpUrl(), 0);
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
      https = mutualTlsProxy.url();
    }
    Map<String, URI> endpoints = new LinkedHashMap<>();
    endpoints.put("http", server.httpUrl());
    endpoints.put("https", https);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("VAULT_ADDR", server.httpUrl().toString());
    settings.put("VAULT_ADDR_TLS", https.toString());
    settings.put("VAULT_CACERT", emulatorOptions.caFile().toString());
    return new StartedEmulator(name(), endpoints, settings);
  }

  /**
   * Whether the {@code https} endpoint demands a client certificate from {@link
   * #writeClientCertificate} (mutual TLS); call before {@link #start}, or start with the property
   * {@code vault.require-client-certificates=true}. The plain {@code http} endpoint stays open, as
   * a second Vault listener with TLS disabled would.
   */
  public synchronized VaultEmulator requireClientCertificates(boolean require) {
    if (server != null) {
      throw new IllegalStateException("requireClientCertificates must be set before start");
    }
    mutualTls = require;
    return this;
  }

  /**
   * Writes a client certificate that the mutual-TLS endpoint accepts, issued by this emulator's own
   * client CA, to {@code dir/vault-client.pem} and its PKCS#8 key to {@code
   * dir/vault-client-key.pem} (owner-only where the file system allows).
   */
  public ClientCertificate writeClientCertificate(Path dir) throws IOException {
    Map<String, Object> issued =
        clientCa()
            .issue(
                "vault-emulator-client",
                List.of("vault-emulator-client"),
                Instant.now().plus(Duration.ofDays(1)),
                "pkcs8");
    Files.createDirectories(dir);
    Path certificate =
        Files.writeString(
            dir.resolve("vault-client.pem"),
            issued.get("certificate") + "\n",
            StandardCharsets.US_ASCII);
    Path key = dir.resolve("vault-client-key.pem");
    Files.deleteIfExists(key);
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      Files.createFile(
          key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(key, issued.get("private_key") + "\n", StandardCharsets.US_ASCII);
    return new ClientCertificate(certificate, key);
  }

  /**
   * Seeds secrets and identities from this cloud's section of a seed file; see {@link VaultSeed}.
   */
  @Override
  public List<SeededIdentity> seed(StartedEmulator started, SeedNode section) {
    return VaultSeed.apply(this, started, section);
  }

  /**
   * Seeds the sample secrets and role of the {@code vault} backend's demo; see {@link VaultDemo}.
   */
  @Override
  public Optional<DemoScenario> demo(StartedEmulator started) {
    return Optional.of(VaultDemo.seed(this, started));
  }

  /** Seeds load-test secrets and service accounts; see {@link VaultLoad}. */
  @Override
  public List<DemoScenario> load(StartedEmulator started, int objects, int identities) {
    return VaultLoad.seed(this, started, objects, identities);
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
    if (mutualTlsProxy != null) {
      mutualTlsProxy.close();
      mutualTlsProxy = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  private synchronized PkiEngine clientCa() {
    if (clientCa == null) {
      clientCa = new PkiEngine("vault-client", new AtomicInteger());
    }
    return clientCa;
  }

  private KvEngine kv(String namespace, String mount, boolean versioned) {
    return mounts.mount(
        ns(namespace),
        mount,
        KvEngine.class,
        versioned ? KvEngine.V2 : KvEngine.V1,
        () -> new KvEngine(versioned));
  }

  private static String ns(String namespace) {
    return namespace == null ? "" : Mounts.trimSlashes(namespace);
  }
}
