// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import io.secretsstore.provider.emulators.CallCounter;
import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorHandler;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.EmulatorResponse;
import io.secretsstore.provider.emulators.EmulatorServer;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.Route;
import io.secretsstore.provider.emulators.SeedNode;
import io.secretsstore.provider.emulators.SeededIdentity;
import io.secretsstore.provider.emulators.ServerOptions;
import io.secretsstore.provider.emulators.ServiceAccountJwts;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.azure.KeyVaults.Kind;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Azure as the provider sees it: Microsoft Entra ID's token endpoint ({@code POST
 * /{tenant}/oauth2/v2.0/token}, plus the discovery documents MSAL may ask for) and the Key Vault
 * data plane of every vault, a vault's URL being {@code <keyvault endpoint>/<name>}, on one HTTPS
 * server; on its plain HTTP listener the node's token sources, IMDS's managed-identity endpoint and
 * AAD Pod Identity's NMI ({@link NodeIdentities}); and on a second HTTPS server, whose certificate
 * names only {@link #TOKEN_PROXY_SNI_NAME}, the AKS identity-binding token proxy ({@link
 * IdentityBindingProxy}).
 *
 * <p>Key Vault answers a call without a token with 401 and the {@code WWW-Authenticate} bearer
 * challenge naming the vault's tenant, as the SDK expects; tokens must come from that tenant (from
 * any of the token sources), and the identity must be {@link #allow allowed} to read the vault.
 *
 * <p>Operations, for {@link #calls()} and {@link #faults()}: {@code azure.aad.token}, {@code
 * azure.aad.discovery}, {@code azure.aad.openid}, {@code azure.imds.token} (resource: the client
 * id, or {@code system}), {@code azure.nmi.token} (resource: {@code <namespace>/<pod>}), {@code
 * azure.tokenproxy.token} (resource: the tenant), {@code azure.keyvault.<kind>.get} and {@code
 * azure.keyvault.<kind>.versions} with kind {@code secret}, {@code key} or {@code certificate}; the
 * resource of a Key Vault call is the object name. Injected errors render in each service's format,
 * so {@code Fault.throttled} is Key Vault's 429 with {@code Retry-After}.
 *
 * <p>{@code start} returns endpoints {@code keyvault}, {@code aad} (the authority host), {@code
 * imds}, {@code nmi} and {@code token-proxy}, and settings {@code AZURE_KEYVAULT_ENDPOINT}, {@code
 * AZURE_AUTHORITY_HOST}, {@code AZURE_CA_BUNDLE}, {@code AZURE_IMDS_ENDPOINT}, {@code
 * AZURE_POD_IDENTITY_ENDPOINT}, {@code AZURE_TOKEN_PROXY_URL} and {@code
 * AZURE_TOKEN_PROXY_SNI_NAME}. Seeding methods are thread-safe and work before and after {@link
 * #start}.
 */
public final class AzureEmulator implements CloudEmulator {
  /**
   * Seeds secrets and identities from this cloud's section of a seed file; see {@link AzureSeed}.
   */
  @Override
  public List<SeededIdentity> seed(StartedEmulator started, SeedNode section) {
    return AzureSeed.apply(this, started, section);
  }

  /** The audience of the service-account tokens AAD exchanges. */
  public static final String EXCHANGE_AUDIENCE = ActiveDirectory.EXCHANGE_AUDIENCE;

  /** The audience of the service-account tokens the AKS identity-binding proxy exchanges. */
  public static final String IDENTITY_BINDING_AUDIENCE = IdentityBindingProxy.AUDIENCE;

  /**
   * The TLS server name of the identity-binding proxy: its certificate names only this, so a client
   * that does not send it as SNI (and check the certificate against it) cannot connect.
   */
  public static final String TOKEN_PROXY_SNI_NAME = "aemulator0identity0binding.ests.aks";

  /** The issuer of the service-account tokens this emulator mints. */
  public static final String ISSUER = "https://oidc.emulator.local/azure";

  /** Key Vault's content type of a PEM certificate-backed secret. */
  public static final String PEM = "application/x-pem-file";

  /** Key Vault's content type of a PKCS#12 certificate-backed secret. */
  public static final String PKCS12 = "application/x-pkcs12";

  private final FaultPlan faults = new FaultPlan();
  private final CallCounter calls = new CallCounter();
  private final ServiceAccountJwts jwts = new ServiceAccountJwts(ISSUER);
  private final ActiveDirectory directory = new ActiveDirectory(jwts);
  private final KeyVaults vaults = new KeyVaults(directory);
  private final NodeIdentities nodeIdentities = new NodeIdentities(directory);
  private final IdentityBindingProxy bindingProxy = new IdentityBindingProxy(jwts, directory);
  private EmulatorServer server;
  private EmulatorServer proxyServer;

  /** An emulator with nothing seeded; no I/O until {@link #start}. */
  public AzureEmulator() {}

  @Override
  public String name() {
    return "azure";
  }

  /** Creates a vault in a tenant (the tenant is created too). */
  public void createVault(String vault, String tenant) {
    vaults.createVault(vault, tenant);
  }

  /**
   * Registers an application in a tenant.
   *
   * @param clientSecret its secret, or null for none
   * @param federatedSubjects service-account subjects ({@code system:serviceaccount:<ns>:<sa>})
   *     whose tokens it accepts as client assertions
   */
  public void addApplication(
      String tenant, String clientId, String clientSecret, String... federatedSubjects) {
    directory.addApplication(tenant, clientId, clientSecret, Set.of(federatedSubjects));
  }

  /**
   * Gives the node (IMDS) a system-assigned managed identity: the application {@code clientId} of
   * {@code tenant}.
   */
  public void setSystemAssignedIdentity(String tenant, String clientId) {
    nodeIdentities.systemAssigned(tenant, clientId);
  }

  /** Assigns a user-assigned managed identity to the node (IMDS answers for its client id). */
  public void addUserAssignedIdentity(String tenant, String clientId) {
    nodeIdentities.userAssigned(tenant, clientId);
  }

  /**
   * Assigns an identity to a pod, as an AzureIdentityBinding of AAD Pod Identity would (NMI answers
   * for the pod).
   */
  public void assignPodIdentity(String namespace, String pod, String tenant, String clientId) {
    nodeIdentities.assignToPod(namespace, pod, tenant, clientId);
  }

  /**
   * An AKS identity binding: the token proxy exchanges {@link #IDENTITY_BINDING_AUDIENCE} tokens of
   * these service-account subjects ({@code system:serviceaccount:<ns>:<sa>}) for tokens of the
   * managed identity {@code clientId} in {@code tenant}.
   */
  public void bindIdentity(String tenant, String clientId, String... subjects) {
    bindingProxy.bind(tenant, clientId, Set.of(subjects));
  }

  /** Lets an application (by client id) read everything in a vault. */
  public void allow(String vault, String clientId) {
    vaults.allow(vault, clientId);
  }

  /** How long access tokens issued from now on live (default an hour). */
  public void tokenLifetime(Duration lifetime) {
    directory.tokenLifetime(lifetime);
  }

  /**
   * Forgets every access token issued so far: the next Key Vault call with one gets the 401
   * challenge.
   */
  public void revokeTokens() {
    directory.revokeAll();
  }

  /**
   * A projected service-account token this emulator's AAD accepts as a client assertion (with a
   * federated subject).
   */
  public String mintServiceAccountToken(
      String namespace, String serviceAccount, String audience, Duration ttl) {
    return jwts.mint(namespace, serviceAccount, audience, ttl);
  }

  /** Adds a version of a plain secret; returns its version id. */
  public String setSecret(String vault, String name, String value) {
    return setSecret(vault, name, value, null);
  }

  /** Adds a version of a secret with a content type (or null); returns its version id. */
  public String setSecret(String vault, String name, String value, String contentType) {
    return vaults.add(
        vault,
        Kind.SECRETS,
        name,
        KeyVaults.newVersionId(),
        url -> secretFields(value, contentType, null));
  }

  /** Adds a version of a key (its public part is served as a JWK); returns its version id. */
  public String setKey(String vault, String name, PublicKey key) {
    Map<String, Object> jwk = Jwk.of(key);
    return vaults.add(vault, Kind.KEYS, name, KeyVaults.newVersionId(), url -> Map.of("key", jwk));
  }

  /**
   * Imports a certificate as Key Vault does: a certificate version with the leaf (CER), and under
   * the same name and version a key (the leaf's public key) and a managed secret with {@code kid}
   * whose value is the chain as {@link #PEM} or base64 {@link #PKCS12}, certificates in {@code
   * order}. Returns the version id.
   */
  public String importCertificate(
      String vault,
      String name,
      CertificateChain chain,
      List<X509Certificate> order,
      String contentType) {
    String version = KeyVaults.newVersionId();
    String value =
        contentType.equals(PKCS12)
            ? Base64.getEncoder().encodeToString(chain.pkcs12(order))
            : chain.pem(order);
    vaults.add(
        vault,
        Kind.SECRETS,
        name,
        version,
        url -> secretFields(value, contentType, url + "/keys/" + name + "/" + version));
    Map<String, Object> jwk = Jwk.of(chain.leaf().getPublicKey());
    vaults.add(vault, Kind.KEYS, name, version, url -> Map.of("key", jwk, "managed", true));
    byte[] der;
    String thumbprint;
    try {
      der = chain.leaf().getEncoded();
      thumbprint =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(MessageDigest.getInstance("SHA-1").digest(der));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode the certificate", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
    String cer = Base64.getEncoder().encodeToString(der);
    vaults.add(
        vault,
        Kind.CERTIFICATES,
        name,
        version,
        url -> {
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put("kid", url + "/keys/" + name + "/" + version);
          fields.put("sid", url + "/secrets/" + name + "/" + version);
          fields.put("x5t", thumbprint);
          fields.put("cer", cer);
          fields.put(
              "policy",
              Map.of(
                  "id",
                  url + "/certificates/" + name + "/policy",
                  "secret_props",
                  Map.of("contentType", contentType),
                  "x509_props",
                  Map.of("subject", chain.leaf().getSubjectX500Principal().getName())));
          return fields;
        });
    return version;
  }

  /** Disables (or enables again) one version of a secret, key or certificate. */
  public void setEnabled(String vault, String kind, String name, String version, boolean enabled) {
    vaults.setEnabled(vault, kindOf(kind), name, version, enabled);
  }

  /**
   * Reads of objects with this name (any vault and kind) that returned a value: calls refused or
   * failed are not counted.
   */
  public long reads(String objectName) {
    return vaults.reads(objectName);
  }

  /**
   * Every access token issued by any token source and not revoked, for tests to scan output for.
   */
  public List<String> issuedAccessTokens() {
    return directory.issuedTokens();
  }

  /** Token requests to AAD, answered or refused. */
  public long tokenRequests() {
    return calls.count("azure.aad.token");
  }

  /** Token requests to IMDS ({@code azure.imds.token}), answered or refused. */
  public long imdsRequests() {
    return calls.count("azure.imds.token");
  }

  /** Token requests to NMI ({@code azure.nmi.token}), answered or refused. */
  public long nmiRequests() {
    return calls.count("azure.nmi.token");
  }

  /**
   * Token requests to the identity-binding proxy ({@code azure.tokenproxy.token}), answered or
   * refused.
   */
  public long tokenProxyRequests() {
    return calls.count("azure.tokenproxy.token");
  }

  private static Map<String, Object> secretFields(String value, String contentType, String kid) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("value", value);
    if (contentType != null) {
      fields.put("contentType", contentType);
    }
    if (kid != null) {
      fields.put("kid", kid);
      fields.put("managed", true);
    }
    return fields;
  }

  private static Kind kindOf(String kind) {
    return switch (kind) {
      case "secret" -> Kind.SECRETS;
      case "key" -> Kind.KEYS;
      case "certificate", "cert" -> Kind.CERTIFICATES;
      default -> throw new IllegalArgumentException("kind is secret, key or certificate");
    };
  }

  @Override
  public synchronized StartedEmulator start(EmulatorOptions options) throws IOException {
    if (server != null) {
      throw new IllegalStateException("the azure emulator is already started");
    }
    server =
        EmulatorServer.start(
            options
                .server(name())
                .withFaults(faults)
                .withCalls(calls)
                .withErrors(AzureEmulator::renderError));
    server.route(
        Route.of("POST", "/{tenant}/oauth2/v2.0/token", "azure.aad.token")
            .resource(r -> r.pathParam("tenant")),
        directory::token);
    server.route("GET", "/common/discovery/instance", "azure.aad.discovery", directory::discovery);
    server.route(
        "GET",
        "/{tenant}/v2.0/.well-known/openid-configuration",
        "azure.aad.openid",
        directory::openIdConfiguration);
    for (Kind kind : Kind.values()) {
      String operation = "azure.keyvault." + kind.label.toLowerCase(java.util.Locale.ROOT);
      server.route(
          Route.of("GET", "/{vault}/" + kind.path + "/{name}/versions", operation + ".versions")
              .resource(r -> r.pathParam("name")),
          guarded(request -> vaults.versions(request, kind)));
      server.route(
          Route.of("GET", "/{vault}/" + kind.path + "/{name}/{version*}", operation + ".get")
              .resource(r -> r.pathParam("name")),
          guarded(request -> vaults.get(request, kind)));
    }
    server.route(
        Route.of("GET", "/metadata/identity/oauth2/token", "azure.imds.token")
            .resource(r -> r.queryParam("client_id").orElse("system")),
        nodeIdentities::imds);
    server.route(
        Route.of("GET", "/host/token/", "azure.nmi.token")
            .resource(r -> r.header("podns").orElse("") + "/" + r.header("podname").orElse("")),
        nodeIdentities::nmi);
    // The proxy is its own HTTPS server, since its certificate names only the SNI name.
    ServerOptions proxyOptions = options.server(name());
    proxyServer =
        EmulatorServer.start(
            new ServerOptions(
                options.tls().forHosts(TOKEN_PROXY_SNI_NAME),
                0,
                0,
                proxyOptions.threads(),
                faults,
                calls,
                AzureEmulator::renderError));
    proxyServer.route(
        Route.of("POST", "/{tenant}/oauth2/v2.0/token", "azure.tokenproxy.token")
            .resource(r -> r.pathParam("tenant")),
        bindingProxy::token);
    Map<String, URI> endpoints = new LinkedHashMap<>();
    endpoints.put("keyvault", server.httpsUrl());
    endpoints.put("aad", server.httpsUrl());
    endpoints.put("imds", server.httpUrl());
    endpoints.put("nmi", URI.create(server.httpUrl() + "/host/token/"));
    endpoints.put("token-proxy", proxyServer.httpsUrl());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("AZURE_KEYVAULT_ENDPOINT", server.httpsUrl().toString());
    settings.put("AZURE_AUTHORITY_HOST", server.httpsUrl().toString());
    settings.put("AZURE_CA_BUNDLE", options.caFile().toString());
    settings.put("AZURE_IMDS_ENDPOINT", server.httpUrl().toString());
    settings.put("AZURE_POD_IDENTITY_ENDPOINT", server.httpUrl() + "/host/token/");
    settings.put("AZURE_TOKEN_PROXY_URL", proxyServer.httpsUrl().toString());
    settings.put("AZURE_TOKEN_PROXY_SNI_NAME", TOKEN_PROXY_SNI_NAME);
    return new StartedEmulator(name(), endpoints, settings);
  }

  private static EmulatorHandler guarded(EmulatorHandler handler) {
    return request -> {
      try {
        return handler.handle(request);
      } catch (KeyVaults.KeyVaultError e) {
        return e.response();
      }
    };
  }

  private static EmulatorResponse renderError(String operation, int status, String message) {
    if (operation.equals("azure.nmi.token")) {
      return EmulatorResponse.text(status, message + "\n");
    }
    if (operation.equals("azure.imds.token")) {
      return EmulatorResponse.json(
          status,
          Map.of(
              "error",
              status == 429 ? "too_many_requests" : "unknown_error",
              "error_description",
              message));
    }
    if (operation.startsWith("azure.aad") || operation.startsWith("azure.tokenproxy")) {
      return EmulatorResponse.json(
          status,
          Map.of(
              "error",
              status == 429 ? "temporarily_unavailable" : "server_error",
              "error_description",
              message));
    }
    String code =
        switch (status) {
          case 429 -> "Throttled";
          case 404 -> "NotFound";
          case 401 -> "Unauthorized";
          case 403 -> "Forbidden";
          default -> status >= 500 ? "InternalServerError" : "BadParameter";
        };
    return KeyVaults.error(status, code, message, null);
  }

  /**
   * Seeds the {@code azure} backend's demo: vault {@code demo-kv} in tenant {@code demo-tenant}
   * with secret {@code db-password}, an imported certificate {@code web-tls} and an EC key {@code
   * signing-key}, readable by application {@code demo-app} federated with {@code
   * system:serviceaccount:demo:app}.
   */
  @Override
  public Optional<DemoScenario> demo(StartedEmulator started) {
    return Optional.of(AzureDemo.seed(this, started));
  }

  /** Seeds load-test secrets and identities; see {@link AzureLoad}. */
  @Override
  public List<DemoScenario> load(StartedEmulator started, int objects, int identities) {
    return AzureLoad.seed(this, started, objects, identities);
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
    if (proxyServer != null) {
      proxyServer.close();
      proxyServer = null;
    }
  }
}
