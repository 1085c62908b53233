// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.credentials.KeyFiles;
import io.secretsstore.provider.kube.ImmutableSecrets;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.mount.ServiceAccountTokens;
import io.secretsstore.provider.spi.AllowLists;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.ObjectFetcher;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.SecretBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HashiCorp Vault backend ({@code --backend vault}), a drop-in replacement for
 * hashicorp/vault-csi-provider: the same SecretProviderClass parameters, files and object versions.
 * Pods log in with their own service-account token (Kubernetes or JWT auth), one login per
 * identity; dynamic-secret leases are renewed and revoked, and PKI certificates reused, by the
 * provider itself instead of a Vault Agent sidecar.
 */
public final class VaultBackend implements SecretBackend {
  private static final Logger LOG = LoggerFactory.getLogger(VaultBackend.class);
  static final String NAME = "vault";

  /**
   * The configuration-file key of the addresses a SecretProviderClass may name; overrides
   * --vault-allowed-addresses.
   */
  static final String ALLOWED_ADDRESSES_KEY = "vaultAllowedAddresses";

  /** Lets a SecretProviderClass turn TLS verification off (an arity-0 flag: no value). */
  static final OperatorSetting SKIP_VERIFY =
      new OperatorSetting(
          "--vault-allow-skip-tls-verify",
          "",
          "secrets-store-provider-vault: vault.allowSkipTLSVerify");

  private final VaultSettings settings;
  private final BackendContext context;
  private final AllowLists.AllowList fileAllowedAddresses;
  private final SpcFileDirs spcFileDirs;

  /** What a serving backend opened; empty for a dry run, which opens nothing. */
  private final Optional<Live> live;

  /** Which HTTP client serves an endpoint. */
  private record ClientKey(String address, TlsConfig tls) {}

  /** The key, caches, clients and lease reaper of a serving backend. */
  private record Live(
      VersionHmac versions,
      ResponseCache responses,
      PodTokenMinter minter,
      LoginFailures loginFailures,
      Cache<ClientKey, VaultClient> clients,
      VaultHttpClients httpClients,
      ScheduledExecutorService reaper) {}

  private VaultBackend(VaultSettings settings, BackendContext context, Optional<Live> live) {
    this.settings = settings;
    this.context = context;
    this.fileAllowedAddresses =
        context.allowLists().declare(ALLOWED_ADDRESSES_KEY, VaultAddress::normalize);
    this.spcFileDirs = new SpcFileDirs(settings.spcFileDirs(), live.isEmpty());
    this.live = live;
  }

  /** A serving backend without an HMAC key file (tests): the key comes from its Secret. */
  static VaultBackend start(VaultSettings settings, BackendContext context) {
    return start(settings, null, context);
  }

  /**
   * A serving backend; the Kubernetes client is asked for only when the HMAC key is read from its
   * Secret or a token is minted.
   *
   * @param keyFile {@code --vault-hmac-key-file}, or null to keep the key in a Secret
   */
  static VaultBackend start(VaultSettings settings, Path keyFile, BackendContext context) {
    return new VaultBackend(settings, context, Optional.of(open(settings, keyFile, context)));
  }

  /**
   * A backend that plans as a serving one would and opens nothing; TLS paths are checked without
   * the file system.
   */
  static VaultBackend dryRun(VaultSettings settings, BackendContext context) {
    return new VaultBackend(settings, context, Optional.empty());
  }

  private static Live open(VaultSettings settings, Path keyFile, BackendContext context) {
    VersionHmac versions =
        new VersionHmac(
            () -> {
              if (keyFile != null) {
                try {
                  return KeyFiles.read(keyFile, "--vault-hmac-key-file");
                } catch (java.io.IOException e) {
                  throw ProviderException.of(
                      ErrorKind.FAILED_PRECONDITION, "cannot read --vault-hmac-key-file", e);
                }
              }
              if (settings.hmacSecretNamespace().isEmpty()) {
                throw ProviderException.of(
                    ErrorKind.FAILED_PRECONDITION,
                    "the provider's namespace is unknown, so its HMAC key Secret cannot be found: set --hmac-secret-namespace");
              }
              return new ImmutableSecrets(context.kube().get())
                  .getOrCreate(
                      settings.hmacSecretNamespace(),
                      settings.hmacSecretName(),
                      "key",
                      VersionHmac::newKey);
            });
    ResponseCache responses =
        new ResponseCache(
            context.clock(), settings.leaseRevokeAfter(), settings.pkiReuseFraction());
    ScheduledExecutorService reaper =
        Executors.newSingleThreadScheduledExecutor(new NamedThreads("vault-leases"));
    long period = Math.max(100, Math.min(30_000, settings.leaseRevokeAfter().toMillis() / 4));
    reaper.scheduleWithFixedDelay(
        () -> reapSafely(responses), period, period, TimeUnit.MILLISECONDS);
    return new Live(
        versions,
        responses,
        new PodTokenMinter(context.kube()),
        new LoginFailures(),
        Caffeine.newBuilder().maximumSize(Math.max(1, settings.cacheSize())).build(),
        new VaultHttpClients(settings.tls(), settings.requestTimeout()),
        reaper);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MountPlan<?> plan(MountRequestContext request) {
    VaultParameters parameters = VaultParameters.parse(request.attributes(), request.targetPath());
    String address = address(parameters);
    TlsConfig spcTls = parameters.tls().requireClientPair("SecretProviderClass");
    if (spcTls.skipVerify() && !settings.allowSkipTlsVerify()) {
      throw ProviderException.refusedBySetting(
          VaultParameters.SKIP_VERIFY + " is not allowed on this provider", SKIP_VERIFY);
    }
    spcTls = spcFileDirs.resolve(spcTls);
    TlsConfig tls = settings.tls().overlay(spcTls);
    String namespace =
        parameters.namespace().isEmpty() ? settings.namespace() : parameters.namespace();
    String mount = parameters.authMount().isEmpty() ? settings.authMount() : parameters.authMount();
    String audience = parameters.effectiveAudience();
    ServiceAccountToken podToken = podToken(request.tokens(), audience);
    if (podToken == null && parameters.audience().isEmpty()) {
      requireOwnAddressForMintedToken(address);
    }
    IdentityKey identity =
        IdentityKey.of(
            NAME,
            "namespace",
            request.pod().namespace(),
            "serviceAccount",
            request.pod().serviceAccountName(),
            "audience",
            audience,
            "role",
            parameters.roleName(),
            "authMount",
            mount,
            "address",
            address,
            "vaultNamespace",
            namespace);
    List<PlannedObject<ObjectSpec>> objects = new ArrayList<>();
    for (int i = 0; i < parameters.objects().size(); i++) {
      SecretConfig config = parameters.objects().get(i);
      FileMode mode =
          config.filePermission() == 0
              ? request.defaultMode()
              : new FileMode(config.filePermission());
      SecretRequest secretRequest;
      try {
        secretRequest = SecretRequest.of(config);
      } catch (IllegalArgumentException e) {
        throw ProviderException.invalidArgument(
            SafeText.element(ObjectsYaml.PARAMETER, i, config.objectName())
                + ": "
                + e.getMessage());
      }
      objects.add(
          new PlannedObject<>(
              config.objectName(),
              config.objectName(),
              mode,
              new ObjectSpec(config, mode, secretRequest)));
    }
    if (live.isEmpty()) {
      return new MountPlan<>(identity, address, objects, ObjectFetcher.dryRun());
    }
    Live open = live.get();
    VaultFetcher.Login login =
        new VaultFetcher.Login(
            identity,
            request.pod(),
            podToken,
            parameters.audience(),
            parameters.roleName(),
            mount,
            namespace);
    VaultClient client = open.clients().get(new ClientKey(address, tls), this::newClient);
    if (settings.cacheSize() == 0) {
      open.clients().invalidateAll();
    }
    return new MountPlan<>(
        identity,
        address,
        objects,
        new VaultFetcher(
            login,
            client,
            context.credentials(),
            open.responses(),
            open.versions(),
            open.minter(),
            open.loginFailures(),
            context.clock()));
  }

  /**
   * Whether Vault at the default address (flags or env) can serve. SecretProviderClasses may name
   * other addresses; those are not probed, since the provider does not know them in advance.
   */
  @Override
  public java.util.Optional<String> readinessProblem() {
    VaultClient client =
        live.orElseThrow()
            .clients()
            .get(
                new ClientKey(VaultAddress.normalize(settings.address()), settings.tls()),
                this::newClient);
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
      throw ProviderException.invalidArgument(
          VaultParameters.ADDRESS + " must be an http or https URL");
    }
    // The configuration file's list, read per mount so an edit applies to the next mount, is exact
    // (empty allows none); the flag's, used while the file sets none, allows any address when
    // empty.
    java.util.Optional<List<String>> fromFile = fileAllowedAddresses.fromFile();
    if (fromFile.isPresent()
        ? !fromFile.get().contains(address)
        : !settings.allowedAddresses().isEmpty()
            && !settings.allowedAddresses().contains(address)) {
      throw ProviderException.invalidArgument(
          VaultParameters.ADDRESS
              + " is not one of the addresses the provider allows ("
              + (fromFile.isPresent()
                  ? ALLOWED_ADDRESSES_KEY + " in the configuration file"
                  : "--vault-allowed-addresses")
              + "); chart value secrets-store-provider-vault: config."
              + ALLOWED_ADDRESSES_KEY);
    }
    return address;
  }

  private VaultClient newClient(ClientKey key) {
    return new VaultClient(
        key.address(),
        live.orElseThrow().httpClients().forAddress(key.address(), key.tls()),
        settings.requestTimeout(),
        context.calls());
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
    throw ProviderException.invalidArgument(
        VaultParameters.AUDIENCE
            + " must be set: with --vault-allow-token-request the"
            + " provider mints a token without an audience only for --vault-addr or an address in --vault-allowed-addresses"
            + " (vault chart: config."
            + ALLOWED_ADDRESSES_KEY
            + "), and "
            + VaultParameters.ADDRESS
            + " is neither");
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
    return live.orElseThrow().responses().heldBytes();
  }

  /** HTTP clients that may still hold a selector thread, for tests. */
  int liveHttpClients() {
    return live.orElseThrow().httpClients().liveClients();
  }

  /** One pass of lease revocation; the timer runs it, tests call it. */
  int reap() {
    return live.orElseThrow().responses().reap();
  }

  private static void reapSafely(ResponseCache responses) {
    try {
      int revoked = responses.reap();
      if (revoked > 0) {
        LOG.atInfo()
            .addKeyValue("leases", revoked)
            .log("revoked Vault leases no mount used any more");
      }
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue("exception", SafeThrowables.describe(e))
          .log("lease revocation pass failed");
    }
  }

  @Override
  public void close() {
    live.ifPresent(
        l -> {
          l.reaper().shutdownNow();
          l.responses().close();
        });
  }
}
