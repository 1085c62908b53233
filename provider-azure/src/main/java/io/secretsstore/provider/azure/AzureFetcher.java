// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import com.azure.security.keyvault.certificates.models.KeyVaultCertificate;
import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.ObjectFetcher;
import io.secretsstore.provider.spi.PlannedObject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Reads the objects of one mount from one vault with one identity and writes them as upstream does
 * (reference A4): secrets decoded by {@code objectEncoding}, certificate-backed secrets as PEM (or
 * the PFX), keys as their public key, certificates as the leaf, and version history as {@code
 * <file>/<i>} newest first.
 */
final class AzureFetcher implements ObjectFetcher<AzureSpec> {
  private static final String PEM_CONTENT = "application/x-pem-file";
  private static final String PKCS12_CONTENT = "application/x-pkcs12";

  private final KeyVaultClients keyVaults;
  private final String vaultUrl;
  private final IdentityKey identity;
  private final CachedTokenCredential.Login login;
  private final AzureSettings settings;
  private volatile KeyVaultClients.Clients clients;

  AzureFetcher(
      KeyVaultClients keyVaults,
      String vaultUrl,
      IdentityKey identity,
      CachedTokenCredential.Login login,
      AzureSettings settings) {
    this.keyVaults = keyVaults;
    this.vaultUrl = vaultUrl;
    this.identity = identity;
    this.login = login;
    this.settings = settings;
    this.clients = keyVaults.forIdentity(vaultUrl, identity, login);
  }

  /**
   * After Key Vault refused a token: new clients (the SDK caches tokens inside them) and new
   * tokens.
   */
  private void renewClients() {
    keyVaults.discard(vaultUrl, identity);
    clients = keyVaults.forIdentity(vaultUrl, identity, login);
  }

  /**
   * What one version of an object writes: the main file, optional .crt/.key, and its version id.
   */
  private record Content(byte[] main, byte[] crt, byte[] key, String version) {}

  /** One entry of a versions list. */
  private record Listed(String version, OffsetDateTime created, boolean enabled) {}

  @Override
  public FetchedObject fetch(PlannedObject<AzureSpec> object) throws InterruptedException {
    AzureSpec spec = object.spec();
    List<FetchedFile> files = new ArrayList<>();
    List<ObjectVersion> versions = new ArrayList<>();
    try {
      if (spec.history() > 1) {
        List<String> chosen = history(spec);
        for (int i = 0; i < chosen.size(); i++) {
          add(
              files,
              versions,
              object,
              spec.fileName() + "/" + i,
              object.id() + "/" + i,
              read(spec, chosen.get(i)));
        }
      } else {
        add(files, versions, object, spec.fileName(), object.id(), read(spec, spec.version()));
      }
    } catch (ProviderException e) {
      throw e;
    } catch (RuntimeException e) {
      ProviderException mapped = AzureErrors.keyVault(e, spec.context());
      if (mapped.kind() == ErrorKind.PERMISSION_DENIED) {
        renewClients();
      }
      throw mapped;
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException();
    }
    return new FetchedObject(files, versions);
  }

  private static void add(
      List<FetchedFile> files,
      List<ObjectVersion> versions,
      PlannedObject<AzureSpec> object,
      String path,
      String id,
      Content content) {
    files.add(new FetchedFile(path, object.mode(), content.main()));
    if (content.crt() != null) {
      files.add(new FetchedFile(path + ".crt", object.mode(), content.crt()));
      files.add(new FetchedFile(path + ".key", object.mode(), content.key()));
    }
    versions.add(new ObjectVersion(id, content.version()));
  }

  /**
   * One read; when Key Vault refuses the cached token (401: revoked, or expired early), the
   * identity's tokens are dropped and the read is made once more with a new one.
   */
  private Content read(AzureSpec spec, String version) {
    try {
      return readOnce(spec, version);
    } catch (RuntimeException e) {
      if (!AzureErrors.unauthorized(e)) {
        throw e;
      }
      renewClients();
      return readOnce(spec, version);
    }
  }

  private Content readOnce(AzureSpec spec, String version) {
    return switch (spec.type()) {
      case SECRET -> secret(spec, version);
      case KEY -> key(spec, version);
      case CERT -> certificate(spec, version);
    };
  }

  private Content secret(AzureSpec spec, String version) {
    KeyVaultSecret secret = clients.secrets().getSecret(spec.name(), version);
    String value = secret.getValue() == null ? "" : secret.getValue();
    String contentType =
        secret.getProperties().getContentType() == null
            ? ""
            : secret.getProperties().getContentType();
    String kid = secret.getProperties().getKeyId();
    String id = versionOf(secret.getId(), "secrets");
    boolean certificateBacked = kid != null && !kid.isEmpty();
    if (contentType.equals(PKCS12_CONTENT) && spec.pfx()) {
      // Upstream writes the PFX's base64 text; objectEncoding: base64 gives the binary file.
      return new Content(decode(value, spec), null, null, id);
    }
    if (!certificateBacked) {
      return new Content(decode(value, spec), null, null, id);
    }
    String keys;
    String certificates;
    String combined;
    if (contentType.equals(PEM_CONTENT)) {
      combined = value;
      keys = Pem.blocks(value, "PRIVATE KEY");
      certificates = Pem.blocks(value, "CERTIFICATE");
    } else if (contentType.equals(PKCS12_CONTENT)) {
      byte[] pfx;
      try {
        pfx = Base64.getMimeDecoder().decode(value);
      } catch (IllegalArgumentException e) {
        throw ProviderException.of(
            ErrorKind.FAILED_PRECONDITION,
            spec.context() + ": the certificate-backed secret is not base64");
      }
      CertificateOutput.Parts parts =
          CertificateOutput.fromPkcs12(pfx, settings.constructPemChain(), spec.context());
      keys = parts.keys();
      certificates = parts.certificates();
      combined = parts.combined();
    } else {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          spec.context()
              + ": certificate-backed secret has content type "
              + (contentType.matches("[a-z0-9./+-]{0,64}")
                  ? "\"" + contentType + "\""
                  : "(invalid)")
              + "; only application/x-pem-file and application/x-pkcs12 are supported");
    }
    byte[] main = combined.getBytes(StandardCharsets.UTF_8);
    return settings.separateFiles()
        ? new Content(
            main,
            certificates.getBytes(StandardCharsets.UTF_8),
            keys.getBytes(StandardCharsets.UTF_8),
            id)
        : new Content(main, null, null, id);
  }

  private static byte[] decode(String value, AzureSpec spec) {
    try {
      return switch (spec.encoding()) {
        case UTF8 -> value.getBytes(StandardCharsets.UTF_8);
        case BASE64 -> Base64.getDecoder().decode(value);
        case HEX -> HexFormat.of().parseHex(value.toLowerCase(Locale.ROOT));
      };
    } catch (IllegalArgumentException e) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          spec.context()
              + ": the secret value is not valid "
              + spec.encoding().name().toLowerCase(Locale.ROOT)
              + " (objectEncoding)");
    }
  }

  private Content key(AzureSpec spec, String version) {
    KeyVaultKey key = clients.keys().getKey(spec.name(), version);
    JsonWebKey jwk = key.getKey();
    byte[] der = PublicKeys.der(jwk, spec.context());
    return new Content(
        Pem.block("PUBLIC KEY", der).getBytes(StandardCharsets.US_ASCII),
        null,
        null,
        versionOf(key.getId(), "keys"));
  }

  private Content certificate(AzureSpec spec, String version) {
    KeyVaultCertificate certificate =
        version.isEmpty()
            ? clients.certificates().getCertificate(spec.name())
            : clients.certificates().getCertificateVersion(spec.name(), version);
    byte[] cer = certificate.getCer();
    if (cer == null || cer.length == 0) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION, spec.context() + ": the certificate has no content yet");
    }
    return new Content(
        Pem.block("CERTIFICATE", cer).getBytes(StandardCharsets.US_ASCII),
        null,
        null,
        versionOf(certificate.getId(), "certificates"));
  }

  /**
   * The versions to write for {@code objectVersionHistory}: enabled ones, newest first, starting at
   * {@code objectVersion} (or the newest), at most N of them. Upstream's loop can emit N+1; this
   * emits N.
   */
  private List<String> history(AzureSpec spec) {
    try {
      return historyOnce(spec);
    } catch (RuntimeException e) {
      if (!AzureErrors.unauthorized(e)) {
        throw e;
      }
      renewClients();
      return historyOnce(spec);
    }
  }

  private List<String> historyOnce(AzureSpec spec) {
    List<Listed> listed = new ArrayList<>();
    switch (spec.type()) {
      case SECRET ->
          clients
              .secrets()
              .listPropertiesOfSecretVersions(spec.name())
              .forEach(
                  p ->
                      listed.add(
                          new Listed(
                              versionOf(p.getId(), "secrets"),
                              p.getCreatedOn(),
                              !Boolean.FALSE.equals(p.isEnabled()))));
      case KEY ->
          clients
              .keys()
              .listPropertiesOfKeyVersions(spec.name())
              .forEach(
                  p ->
                      listed.add(
                          new Listed(
                              versionOf(p.getId(), "keys"),
                              p.getCreatedOn(),
                              !Boolean.FALSE.equals(p.isEnabled()))));
      case CERT ->
          clients
              .certificates()
              .listPropertiesOfCertificateVersions(spec.name())
              .forEach(
                  p ->
                      listed.add(
                          new Listed(
                              versionOf(p.getId(), "certificates"),
                              p.getCreatedOn(),
                              !Boolean.FALSE.equals(p.isEnabled()))));
    }
    List<String> enabled =
        listed.stream()
            .filter(Listed::enabled)
            .sorted(
                Comparator.comparing(
                    Listed::created, Comparator.nullsLast(Comparator.reverseOrder())))
            .map(Listed::version)
            .toList();
    int start = 0;
    if (!spec.version().isEmpty() && !spec.version().equals("latest")) {
      start = enabled.indexOf(spec.version());
      if (start < 0) {
        throw ProviderException.of(
            ErrorKind.NOT_FOUND,
            spec.context() + ": objectVersion is not an enabled version of the object");
      }
    }
    if (enabled.isEmpty()) {
      throw ProviderException.of(
          ErrorKind.NOT_FOUND, spec.context() + ": the object has no enabled version");
    }
    return enabled.subList(start, Math.min(enabled.size(), start + spec.history()));
  }

  /**
   * The version id from an object id such as {@code https://kv.vault.azure.net/secrets/name/ver}.
   * Parsed here rather than by the SDK, whose parser assumes the vault is the whole host and so
   * misreads vaults served under a path (an emulator or proxy).
   */
  static String versionOf(String id, String collection) {
    if (id == null) {
      return "";
    }
    String path = java.net.URI.create(id).getPath();
    int at = path.lastIndexOf("/" + collection + "/");
    if (at < 0) {
      return "";
    }
    String[] rest = path.substring(at + collection.length() + 2).split("/");
    return rest.length >= 2 ? rest[1] : "";
  }
}
