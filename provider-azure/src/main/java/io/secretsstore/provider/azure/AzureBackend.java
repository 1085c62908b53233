// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.SecretBackend;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Azure backend ({@code --backend azure}), in place of
 * Azure/secrets-store-csi-driver-provider-azure 1.8: the same SecretProviderClass parameters, files
 * and object versions from Key Vault, except for the differences docs/azure.md lists. Pods
 * authenticate with workload identity, AKS identity binding or a service principal from their own
 * nodePublishSecretRef (or, when the operator enables them, the node's managed identity or AAD Pod
 * Identity). Unlike upstream, Entra ID tokens are cached per identity until shortly before they
 * expire, the custom cloud file is read per mount instead of through a process-wide variable,
 * objects are fetched in parallel, and duplicate file names are refused.
 */
public final class AzureBackend implements SecretBackend {
  static final String NAME = "azure";

  private final AzureSettings settings;
  private final BackendContext context;
  private final KeyVaultClients keyVaults;
  private final java.net.http.HttpClient nodeHttp;
  private final TokenProxy tokenProxy;
  private final byte[] fingerprintKey = new byte[32];
  private final boolean dryRun;

  private AzureBackend(AzureSettings settings, BackendContext context, boolean dryRun) {
    this.settings = settings;
    this.context = context;
    this.dryRun = dryRun;
    keyVaults =
        new KeyVaultClients(
            settings.caBundle(), settings.keyVaultEndpoint() == null, context.credentials());
    // IMDS and NMI are plain HTTP on the node; a short connect timeout makes a missing one
    // UNAVAILABLE quickly.
    nodeHttp =
        java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5))
            .build();
    tokenProxy = TokenProxy.start(settings.endpoints());
    new SecureRandom().nextBytes(fingerprintKey);
  }

  /** A serving backend. */
  static AzureBackend start(AzureSettings settings, BackendContext context) {
    return new AzureBackend(settings, context, false);
  }

  /** A backend without the CA bundle file: plan() only checks, and builds logins it never runs. */
  static AzureBackend dryRun(AzureSettings settings, BackendContext context) {
    return new AzureBackend(settings.withCaBundle(null), context, true);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MountPlan<?> plan(MountRequestContext request) {
    AzureParameters parameters =
        AzureParameters.parse(
            request.attributes(), request.defaultMode(), settings.separateFiles());
    AzureCloud cloud =
        AzureCloud.resolve(
            parameters.cloudName().isEmpty() ? settings.cloudName() : parameters.cloudName(),
            parameters.cloudEnvFile(),
            settings.cloudEnvDirectories());
    String vaultUrl =
        settings.keyVaultEndpoint() != null
            ? settings.keyVaultEndpoint().toString().replaceAll("/+$", "")
                + "/"
                + parameters.vaultName()
            : "https://" + parameters.vaultName() + "." + cloud.keyVaultDnsSuffix() + "/";
    String authority =
        settings.authorityHost() != null
            ? settings.authorityHost().toString()
            : cloud.authorityHost();
    Auth auth = authenticate(parameters, request, authority);
    List<PlannedObject<AzureSpec>> objects = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (AzureSpec spec : parameters.objects()) {
      // Upstream's id is <type>/<objectName>, so two aliases of one object share it; the driver
      // needs unique ids, so a repeat is told apart by its file name.
      String id = ids.add(spec.id()) ? spec.id() : spec.id() + "@" + spec.fileName();
      ids.add(id);
      objects.add(new PlannedObject<>(id, spec.path(), spec.mode(), spec));
    }
    if (dryRun) {
      return new MountPlan<>(
          auth.identity(), vaultUrl, objects, io.secretsstore.provider.spi.ObjectFetcher.dryRun());
    }
    return new MountPlan<>(
        auth.identity(),
        vaultUrl,
        objects,
        new AzureFetcher(keyVaults, vaultUrl, auth.identity(), auth.login(), settings));
  }

  private record Auth(IdentityKey identity, CachedTokenCredential.Login login) {}

  /**
   * The identity of a mount and how it gets tokens (reference A3), refusing modes the operator did
   * not enable.
   */
  private Auth authenticate(
      AzureParameters parameters, MountRequestContext request, String authority) {
    PodIdentity pod = request.pod();
    String tenant = parameters.tenantId();
    if (parameters.useAzureTokenProxy()) {
      // Upstream's checks and messages (buildAuthConfig), for mode AzureTokenProxy.
      String mode = "failed to build auth config for mode AzureTokenProxy: ";
      if (parameters.clientId().isEmpty()) {
        throw ProviderException.invalidArgument(mode + "clientID is required for identity binding");
      }
      requireClientId("clientID", parameters.clientId());
      if (request.tokens().audiences().isEmpty()) {
        throw ProviderException.unauthenticated(
            mode
                + "service account tokens are required for identity binding (add the audience "
                + AzureLogins.IDENTITY_BINDING_AUDIENCE
                + " to the CSIDriver's tokenRequests)");
      }
      if (!request.tokens().has(AzureLogins.IDENTITY_BINDING_AUDIENCE)) {
        throw ProviderException.unauthenticated(
            mode
                + "failed to parse service account token for identity binding, error: "
                + "token for audience "
                + AzureLogins.IDENTITY_BINDING_AUDIENCE
                + " not found");
      }
      ServiceAccountToken token =
          request
              .tokens()
              .require(AzureLogins.IDENTITY_BINDING_AUDIENCE, context.clock().instant());
      return new Auth(
          IdentityKey.of(
              NAME,
              "auth",
              "identityBinding",
              "tenant",
              tenant,
              "clientId",
              parameters.clientId(),
              "namespace",
              pod.namespace(),
              "serviceAccount",
              pod.serviceAccountName(),
              "authority",
              authority,
              "proxy",
              settings.endpoints().tokenProxy().toString()),
          AzureLogins.identityBinding(tenant, parameters.clientId(), authority, tokenProxy, token));
    }
    if (parameters.usePodIdentity()) {
      if (!settings.podIdentity()) {
        throw ProviderException.refusedBySetting(
            "usePodIdentity is disabled on this provider, since NMI hands out identities by "
                + "pod name (AAD Pod Identity is deprecated; use workload identity)",
            AzureOptions.POD_IDENTITY);
      }
      // NMI maps a pod (by namespace and name, through its labels) to an identity, so the token is
      // the pod's: the key names the pod, and its uid, so a later pod of the same name (which may
      // carry other labels) never gets this one's token.
      URI nmi = settings.endpoints().nmi();
      return new Auth(
          IdentityKey.of(
              NAME,
              "auth",
              "podIdentity",
              "namespace",
              pod.namespace(),
              "pod",
              pod.name(),
              "podUid",
              pod.uid(),
              "nmi",
              nmi.toString()),
          NodeTokenSources.podIdentity(nodeHttp, nmi, pod));
    }
    if (parameters.useVmManagedIdentity()) {
      if (!settings.managedIdentity()) {
        throw ProviderException.refusedBySetting(
            "useVMManagedIdentity is disabled on this provider, since every pod on the node "
                + "would share the node's identity",
            AzureOptions.MANAGED_IDENTITY);
      }
      // Upstream reads userAssignedIdentityID in this mode only, so only here is it checked.
      requireClientId("userAssignedIdentityID", parameters.userAssignedIdentityId());
      // The node's identity is the same for every pod that asks: the key is the identity (system-
      // or user-assigned client id) at this IMDS, not the pod.
      URI imds = settings.endpoints().imds();
      return new Auth(
          IdentityKey.of(
              NAME,
              "auth",
              "managedIdentity",
              "clientId",
              parameters.userAssignedIdentityId(),
              "imds",
              imds.toString()),
          NodeTokenSources.managedIdentity(nodeHttp, imds, parameters.userAssignedIdentityId()));
    }
    if (!parameters.clientId().isEmpty()) {
      requireClientId("clientID", parameters.clientId());
      if (request.tokens().audiences().isEmpty()) {
        throw ProviderException.unauthenticated(
            "failed to parse workload identity tokens, error: service account tokens not found "
                + "(add the audience "
                + AzureLogins.EXCHANGE_AUDIENCE
                + " to the CSIDriver's tokenRequests)");
      }
      if (!request.tokens().has(AzureLogins.EXCHANGE_AUDIENCE)) {
        throw ProviderException.unauthenticated(
            "token for audience " + AzureLogins.EXCHANGE_AUDIENCE + " not found");
      }
      ServiceAccountToken token =
          request.tokens().require(AzureLogins.EXCHANGE_AUDIENCE, context.clock().instant());
      return new Auth(
          IdentityKey.of(
              NAME,
              "auth",
              "workloadIdentity",
              "tenant",
              tenant,
              "clientId",
              parameters.clientId(),
              "namespace",
              pod.namespace(),
              "serviceAccount",
              pod.serviceAccountName(),
              "authority",
              authority),
          AzureLogins.workloadIdentity(
              tenant, parameters.clientId(), authority, keyVaults.http(), token));
    }
    if (!settings.servicePrincipal()) {
      throw ProviderException.refusedBySetting(
          "clientID is not set, and service principal credentials from nodePublishSecretRef are "
              + "disabled on this provider (set clientID to use workload identity instead)",
          AzureOptions.SERVICE_PRINCIPAL);
    }
    Map<String, String> secrets = request.nodePublishSecrets();
    if (secrets.isEmpty()) {
      throw ProviderException.invalidArgument(
          "failed to get credentials, nodePublishSecretRef secret is not set");
    }
    String clientId = caseInsensitive(secrets, "clientid");
    if (clientId == null || clientId.isEmpty()) {
      throw ProviderException.invalidArgument("could not find clientid in secrets");
    }
    String clientSecret = caseInsensitive(secrets, "clientsecret");
    if (clientSecret == null || clientSecret.isEmpty()) {
      throw ProviderException.invalidArgument("could not find clientsecret in secrets");
    }
    if (!clientId.matches("[A-Za-z0-9-]{1,64}")) {
      throw ProviderException.invalidArgument(
          "clientid in nodePublishSecretRef must be a client id (a GUID)");
    }
    return new Auth(
        IdentityKey.of(
            NAME,
            "auth",
            "servicePrincipal",
            "tenant",
            tenant,
            "clientId",
            clientId,
            "authority",
            authority,
            "secret",
            fingerprint(clientSecret)),
        AzureLogins.servicePrincipal(tenant, clientId, clientSecret, authority, keyVaults.http()));
  }

  /** A client id is a GUID; anything else is refused before it reaches a URL or a cache key. */
  private static void requireClientId(String key, String value) {
    if (!value.isEmpty() && !value.matches("[A-Za-z0-9-]{1,64}")) {
      throw ProviderException.invalidArgument(key + " must be a client id (a GUID)");
    }
  }

  private static String caseInsensitive(Map<String, String> map, String key) {
    for (Map.Entry<String, String> entry : map.entrySet()) {
      if (entry.getKey().toLowerCase(Locale.ROOT).equals(key)) {
        return entry.getValue().trim();
      }
    }
    return null;
  }

  /** Tells identities with different client secrets apart without the key holding the secret. */
  private String fingerprint(String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(fingerprintKey, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)), 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
