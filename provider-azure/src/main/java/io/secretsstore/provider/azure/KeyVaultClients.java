// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.certificates.CertificateClient;
import com.azure.security.keyvault.certificates.CertificateClientBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.tls.CaBundles;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Key Vault clients, one set per vault and identity, sharing one JDK HTTP client (so a new
 * identity's reads use warm connections) and each vault's bearer challenge ({@link
 * VaultChallenges}, so they carry a token from the first request). The SDK's retries are off (the
 * mount engine is the one retry layer, and it honours Retry-After within the mount deadline).
 */
final class KeyVaultClients {
  /** No SDK retries: one attempt per call. */
  static final RetryOptions NO_RETRIES = new RetryOptions(new FixedDelayOptions(0, Duration.ZERO));

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The three clients of one vault and identity, and their credential. */
  record Clients(
      SecretClient secrets,
      KeyClient keys,
      CertificateClient certificates,
      CachedTokenCredential credential) {}

  private record Key(String vaultUrl, IdentityKey identity) {}

  private final HttpClient http;
  private final boolean verifyChallengeResource;
  private final CredentialCache credentials;
  private final VaultChallenges challenges;
  private final Cache<Key, Clients> clients =
      Caffeine.newBuilder().maximumSize(1000).expireAfterAccess(Duration.ofMinutes(30)).build();

  /**
   * @param caBundle PEM CAs to trust instead of the JDK's, or null
   * @param verifyChallengeResource whether the challenge's resource must match the vault's host
   *     (off only when vaults are served from an emulator or proxy address)
   */
  KeyVaultClients(Path caBundle, boolean verifyChallengeResource, CredentialCache credentials) {
    java.net.http.HttpClient.Builder jdk =
        java.net.http.HttpClient.newBuilder().connectTimeout(TIMEOUT);
    if (caBundle != null) {
      jdk.sslContext(CaBundles.sslContext(caBundle, "--azure-ca-bundle"));
    }
    this.http = new JdkHttpClientBuilder(jdk).responseTimeout(TIMEOUT).build();
    this.verifyChallengeResource = verifyChallengeResource;
    this.credentials = credentials;
    this.challenges = new VaultChallenges(verifyChallengeResource);
  }

  /** The HTTP client, shared with the Entra ID credentials. */
  HttpClient http() {
    return http;
  }

  /** The clients of a vault for an identity, whose token requests use {@code login} from now on. */
  Clients forIdentity(String vaultUrl, IdentityKey identity, CachedTokenCredential.Login login) {
    Clients set =
        clients.get(
            new Key(vaultUrl, identity),
            key -> build(vaultUrl, new CachedTokenCredential(identity, credentials)));
    set.credential().useLogin(login);
    return set;
  }

  /**
   * Drops the clients of a vault and identity, with the tokens the SDK cached inside them (it keeps
   * a token until shortly before expiry even after Key Vault refused it), and the cached tokens of
   * the identity.
   */
  void discard(String vaultUrl, IdentityKey identity) {
    Clients set = clients.asMap().remove(new Key(vaultUrl, identity));
    if (set != null) {
      set.credential().invalidateAll();
    }
  }

  private Clients build(String vaultUrl, CachedTokenCredential credential) {
    // One policy instance per client: the challenge is shared through VaultChallenges, the token is
    // the identity's.
    SecretClientBuilder secrets =
        new SecretClientBuilder()
            .vaultUrl(vaultUrl)
            .credential(credential)
            .httpClient(http)
            .retryOptions(NO_RETRIES)
            .addPolicy(challenges.policy(credential));
    KeyClientBuilder keys =
        new KeyClientBuilder()
            .vaultUrl(vaultUrl)
            .credential(credential)
            .httpClient(http)
            .retryOptions(NO_RETRIES)
            .addPolicy(challenges.policy(credential));
    CertificateClientBuilder certificates =
        new CertificateClientBuilder()
            .vaultUrl(vaultUrl)
            .credential(credential)
            .httpClient(http)
            .retryOptions(NO_RETRIES)
            .addPolicy(challenges.policy(credential));
    if (!verifyChallengeResource) {
      secrets.disableChallengeResourceVerification();
      keys.disableChallengeResourceVerification();
      certificates.disableChallengeResourceVerification();
    }
    return new Clients(
        secrets.buildClient(), keys.buildClient(), certificates.buildClient(), credential);
  }
}
