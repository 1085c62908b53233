// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.kube.ImmutableSecrets;
import io.secretsstore.provider.credentials.KeyFiles;
import io.secretsstore.provider.kube.KubeClients;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.mount.ServiceAccountTokens;
import io.secretsstore.provider.spi.AllowLists;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.ObjectFetcher;
import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.SecretBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HashiCorp Vault backend ({@code --backend vault}), a drop-in replacement for
 * hashicorp/vault-csi-provider: the same SecretProviderClass parameters, files and object
 * versions. Pods log in with their own service-account token (Kubernetes or JWT auth), one login
 * per identity; dynamic-secret leases are renewed and revoked, and PKI certificates reused, by the
 * provider itself instead of a Vault Agent sidecar.
 */
public final class VaultBackend implements SecretBackend {
  private static final Logger LOG = LoggerFactory.getLogger(VaultBackend.class);
  static final String NAME = "vault";
  /** The configuration-file key of the addresses a SecretProviderClass may name; overrides --vault-allowed-addresses. */
  static final String ALLOWED_ADDRESSES_KEY = "vaultAllowedAddresses";
  /** Lets a SecretProviderClass turn TLS verification off (an arity-0 flag: no value). */
  static final OperatorSetting SKIP_VERIFY =
      new OperatorSetting("--vault-allow-skip-tls-verify", "", "secrets-store-provider-vault: vault.allowSkipTLSVerify");

  private final VaultOptions options;
  private VaultSettings settings;
  private KubernetesClient kube;
  private final boolean ownsKube;
  private BackendContext context;
  private AllowLists.AllowList fileAllowedAddresses;
  private VersionHmac versions;
  private ResponseCache responses;
  private PodTokenMinter minter;
  private final LoginFailures loginFailures = new LoginFailures();
  private Cache<ClientKey, VaultClient> clients;
  private VaultHttpClients httpClients;
  private ScheduledExecutorService reaper;
  private SpcFileDirs spcFileDirs;
  private boolean dryRun;

  /** Found by ServiceLoader; settings come from flags and the environment at start. */
  public VaultBackend() {
    this.options = new VaultOptions();
    this.ownsKube = true;
  }

  /** For tests: given settings and Kubernetes client, no flags. */
  VaultBackend(KubernetesClient kube, VaultSettings settings) {
    this.options = null;
    this.kube = kube;
    this.settings = settings;
    this.ownsKube = false;
  }

  /** Which HTTP client serves an endpoint. */
  private record ClientKey(String address, TlsConfig tls) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Object options() {
    return options;
  }

  @Override
  public void start(BackendContext backendContext) {
    this.context = backendContext;
    fileAllowedAddresses = backendContext.allowLists().declare(ALLOWED_ADDRESSES_KEY, VaultAddress::normalize);
    if (settings == null) {
      settings = options.settings(System.getenv());
    }
    spcFileDirs = new SpcFileDirs(settings.spcFileDirs(), dryRun);
    if (dryRun) {
      return;
    }
    if (kube == null) {
      kube = KubeClients.fromEnvironment();
    }
    VaultSettings fixed = settings;
    KubernetesClient client = kube;
    java.nio.file.Path keyFile = options == null ? null : options.hmacKeyFile;
    versions = new VersionHmac(() -> {
      if (keyFile != null) {
        try {
          return KeyFiles.read(keyFile, "--vault-hmac-key-file");
        } catch (java.io.IOException e) {
          throw ProviderException.of(ErrorKind.FAILED_PRECONDITION, "cannot read --vault-hmac-key-file", e);
        }
      }
      if (fixed.hmacSecretNamespace().isEmpty()) {
        throw ProviderException.of(ErrorKind.FAILED_PRECONDITION,
            "the provider's namespace is unknown, so its HMAC key Secret cannot be found: set --hmac-secret-namespace");
      }
      return new ImmutableSecrets(client).getOrCreate(
          fixed.hmacSecretNamespace(), fixed.hmacSecretName(), "key", VersionHmac::newKey);
    });
    responses = new ResponseCache(context.clock(), settings.leaseRevokeAfter(), settings.pkiReuseFraction());
    minter = new PodTokenMinter(kube);
    httpClients = new VaultHttpClients(settings.tls(), settings.requestTimeout());
    clients = Caffeine.newBuilder().maximumSize(Math.max(1, settings.cacheSize())).build();
    reaper = Executors.newSingleThreadScheduledExecutor(new NamedThreads("vault-leases"));
    long period = Math.max(100, Math.min(30_000, settings.leaseRevokeAfter().toMillis() / 4));
    reaper.scheduleWithFixedDelay(this::reapSafely, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public List<OperatorSetting> operatorSettings() {
    return List.of(SKIP_VERIFY, SpcFileDirs.SETTING);
  }

  /** Flags only: no Kubernetes client, key, cache or lease reaper; TLS paths are checked without the file system. */
  @Override
  public void startDryRun(BackendContext backendContext) {
    dryRun = true;
    start(backendContext);
  }

  @Override
  public MountPlan<?> plan(MountRequestContext request) {
    if (context == null) {
      throw ProviderException.of(ErrorKind.INTERNAL, "the vault backend was not started");
    }
    VaultParameters parameters = VaultParameters.parse(request.attributes(), request.targetPath());
    String address = address(parameters);
    TlsConfig spcTls = parameters.tls().requireClientPair("SecretProviderClass");
    if (spcTls.skipVerify() && !settings.allowSkipTlsVerify()) {
      throw ProviderException.refusedBySetting(VaultParameters.SKIP_VERIFY + " is not allowed on this provider", SKIP_VERIFY);
    }
    spcTls = spcFileDirs.resolve(spcTls);
    TlsConfig tls = settings.tls().overlay(spcTls);
    String namespace = parameters.namespace().isEmpty() ? settings.namespace() : parameters.namespace();
    String mount = parameters.authMount().isEmpty() ? settings.authMount() : parameters.authMount();
    String audience = parameters.effectiveAudience();
    ServiceAccountToken podToken = podToken(request.tokens(), audience);
    if (podToken == null && parameters.audience().isEmpty()) {
      requireOwnAddressForMintedToken(address);
    }
    IdentityKey identity = IdentityKey.of(NAME,
        "namespace", request.pod().namespace(), "serviceAccount", request.pod().serviceAccountName(),
        "audience", audience, "role", parameters.roleName(), "authMount", mount, "address", address,
        "vaultNamespace", namespace);
    List<PlannedObject<ObjectSpec>> objects = new ArrayList<>();
    for (int i = 0; i < parameters.objects().size(); i++) {
      SecretConfig config = parameters.objects().get(i);
      FileMode mode = config.filePermission() == 0 ? request.defaultMode() : new FileMode(config.filePermission());
      SecretRequest secretRequest;
      try {
        secretRequest = SecretRequest.of(config);
      } catch (IllegalArgumentException e) {
        throw ProviderException.invalidArgument(SafeText.element(ObjectsYaml.PARAMETER, i, config.objectName()) + ": " + e.getMessage());
      }
      objects.add(new PlannedObject<>(config.objectName(), config.objectName(), mode, new ObjectSpec(config, mode, secretRequest)));
    }
    if (dryRun) {
      return new MountPlan<>(identity, address, objects, ObjectFetcher.dryRun());
    }
    VaultFetcher.Login login = new VaultFetcher.Login(identity, request.pod(), podToken, parameters.audience(),
        parameters.roleName(), mount, namespace);
    VaultClient client = clients.get(new ClientKey(address, tls), this::newClient);
    if (settings.cacheSize() == 0) {
      clients.invalidateAll();
    }
    return new MountPlan<>(identity, address, objects,
        new VaultFetcher(login, client, context.credentials(), responses, versions, minter, loginFailures, context.clock()));
  }

  /**
   * Whether Vault at the default address (flags or env) can serve. SecretProviderClasses may name
   * other addresses; those are not probed, since the provider does not know them in advance.
   */
  @Override
  public java.util.Optional<String> readinessProblem() {
    if (settings == null || context == null) {
      return java.util.Optional.of("the Vault backend has not started");
    }
    VaultClient client = clients.get(new ClientKey(VaultAddress.normalize(settings.address()), settings.tls()), this::newClient);
    try {
      return client.healthProblem(settings.namespace());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.of("interrupted while checking Vault's health");
    }
  }

  private String address(VaultParameters parameters) {
    if (parameters.address().isEmpty()) {
      return VaultAddress.normalize(settings.address());
    }
    String address;
    try {
      address = VaultAddress.normalize(parameters.address());
    } catch (IllegalArgumentException e) {
      throw ProviderException.invalidArgument(VaultParameters.ADDRESS + " must be an http or https URL");
    }
    // The configuration file's list, read per mount so an edit applies to the next mount, is exact
    // (empty allows none); the flag's, used while the file sets none, allows any address when empty.
    java.util.Optional<List<String>> fromFile = fileAllowedAddresses.fromFile();
    if (fromFile.isPresent() ? !fromFile.get().contains(address)
        : !settings.allowedAddresses().isEmpty() && !settings.allowedAddresses().contains(address)) {
      throw ProviderException.invalidArgument(VaultParameters.ADDRESS + " is not one of the addresses the provider allows ("
          + (fromFile.isPresent() ? ALLOWED_ADDRESSES_KEY + " in the configuration file" : "--vault-allowed-addresses")
          + "); chart value secrets-store-provider-vault: config." + ALLOWED_ADDRESSES_KEY);
    }
    return address;
  }

  private VaultClient newClient(ClientKey key) {
    return new VaultClient(key.address(), httpClients.forAddress(key.address(), key.tls()), settings.requestTimeout(), context.calls());
  }

  /**
   * A token minted without an {@code audience} carries the API server's own audience: any service
   * that verifies tokens through TokenReview would accept it as the pod. It goes only to the
   * operator's Vault ({@code --vault-addr}) or an address the operator allowed, never to whatever
   * address a SecretProviderClass names.
   */
  private void requireOwnAddressForMintedToken(String address) {
    java.util.Optional<List<String>> fromFile = fileAllowedAddresses.fromFile();
    List<String> allowed = fromFile.orElse(settings.allowedAddresses());
    if (address.equals(VaultAddress.normalize(settings.address())) || allowed.contains(address)) {
      return;
    }
    throw ProviderException.invalidArgument(VaultParameters.AUDIENCE + " must be set: with --vault-allow-token-request the"
        + " provider mints a token without an audience only for --vault-addr or an address in --vault-allowed-addresses"
        + " (vault chart: config." + ALLOWED_ADDRESSES_KEY + "), and " + VaultParameters.ADDRESS + " is neither");
  }

  /** The driver's token for the audience, or null when the provider may mint one itself. */
  private ServiceAccountToken podToken(ServiceAccountTokens tokens, String audience) {
    if (tokens.has(audience) || !settings.allowTokenRequest()) {
      // require() names the audience and fails UNAUTHENTICATED when absent, empty or expired.
      return tokens.require(audience, context.clock().instant());
    }
    return null;
  }

  /** Bytes of Vault answers held for reuse, for tests. */
  long heldResponseBytes() {
    return responses.heldBytes();
  }

  /** HTTP clients that may still hold a selector thread, for tests. */
  int liveHttpClients() {
    return httpClients.liveClients();
  }

  /** One pass of lease revocation; the timer runs it, tests call it. */
  int reap() {
    return responses.reap();
  }

  private void reapSafely() {
    try {
      int revoked = responses.reap();
      if (revoked > 0) {
        LOG.atInfo().addKeyValue("leases", revoked).log("revoked Vault leases no mount used any more");
      }
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("exception", SafeThrowables.describe(e)).log("lease revocation pass failed");
    }
  }

  @Override
  public void close() {
    if (reaper != null) {
      reaper.shutdownNow();
    }
    if (responses != null) {
      responses.close();
    }
    if (ownsKube && kube != null) {
      kube.close();
    }
  }
}
