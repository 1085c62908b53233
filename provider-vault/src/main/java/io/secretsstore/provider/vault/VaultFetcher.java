// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.ObjectFetcher;
import io.secretsstore.provider.spi.PlannedObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the objects of one mount: a Vault token for the pod's identity (one login per identity,
 * shared through the process's credential cache and kept until shortly before its TTL ends), the
 * response through the {@link ResponseCache}, one re-login and retry when Vault answers 403 to a
 * cached token, then the object's content and HMAC version.
 */
final class VaultFetcher implements ObjectFetcher<ObjectSpec> {
  private static final Logger LOG = LoggerFactory.getLogger(VaultFetcher.class);

  /**
   * The token TTL assumed when Vault gives none (a non-expiring token): re-login this often anyway.
   */
  private static final Duration UNKNOWN_TTL = Duration.ofMinutes(10);

  /**
   * Who logs in and how.
   *
   * @param identity the identity key (namespace, service account, audience, role, mount, address,
   *     Vault namespace)
   * @param pod the pod
   * @param podToken the driver's token for the audience, or null to mint one
   * @param audienceParameter the {@code audience} parameter as written (empty: API-server default
   *     when minting)
   * @param role the Vault role
   * @param authMount the auth mount
   * @param namespace the Vault namespace, or empty
   */
  record Login(
      IdentityKey identity,
      PodIdentity pod,
      ServiceAccountToken podToken,
      String audienceParameter,
      String role,
      String authMount,
      String namespace) {
    @Override
    public String toString() {
      return "Login[identity=" + identity + "]";
    }
  }

  private final Login login;
  private final VaultClient client;
  private final CredentialCache credentials;
  private final ResponseCache responses;
  private final VersionHmac versions;
  private final PodTokenMinter minter;
  private final Clock clock;
  private final LoginFailures failures;

  VaultFetcher(
      Login login,
      VaultClient client,
      CredentialCache credentials,
      ResponseCache responses,
      VersionHmac versions,
      PodTokenMinter minter,
      LoginFailures failures,
      Clock clock) {
    this.failures = failures;
    this.login = login;
    this.client = client;
    this.credentials = credentials;
    this.responses = responses;
    this.versions = versions;
    this.minter = minter;
    this.clock = clock;
  }

  @Override
  public FetchedObject fetch(PlannedObject<ObjectSpec> object) throws InterruptedException {
    ObjectSpec spec = object.spec();
    ResponseCache.Result result =
        responses.get(
            new ResponseCache.Key(login.identity(), spec.request()), new Session(spec.request()));
    byte[] content = SecretContent.render(result.secret(), spec.config());
    String version = versions.version(spec.config(), content);
    FetchedObject fetched =
        new FetchedObject(
            List.of(new FetchedFile(object.path(), spec.mode(), content)),
            List.of(new ObjectVersion(object.id(), version)));
    return result.stableUntil() == null ? fetched : fetched.stableUntil(result.stableUntil());
  }

  /** The identity's Vault token; {@code fresh} is set when this call logged in. */
  private String token(AtomicBoolean fresh) {
    VaultToken token =
        credentials.get(
            login.identity(),
            () -> {
              fresh.set(true);
              String jwt = jwt();
              // The objects of one mount share a refused login instead of each trying again.
              failures.check(login.identity(), jwt, clock.instant());
              VaultToken issued;
              try {
                issued = client.login(login.authMount(), login.role(), jwt, login.namespace());
              } catch (ProviderException e) {
                failures.remember(login.identity(), jwt, e, clock.instant());
                throw e;
              }
              Duration ttl =
                  issued.leaseSeconds() > 0
                      ? Duration.ofSeconds(issued.leaseSeconds())
                      : UNKNOWN_TTL;
              LOG.atDebug()
                  .addKeyValue("identity", login.identity().parts())
                  .log("logged in to Vault");
              return new Expiring<>(issued, clock.instant().plus(ttl));
            });
    return token.value();
  }

  private String jwt() {
    if (login.podToken() != null) {
      return login.podToken().value();
    }
    return minter.mint(login.pod(), login.audienceParameter());
  }

  private final class Session implements ResponseCache.Session {
    private final SecretRequest request;

    Session(SecretRequest request) {
      this.request = request;
    }

    @Override
    public ResponseCache.Answer read() throws InterruptedException {
      AtomicBoolean fresh = new AtomicBoolean();
      VaultClient.Answer answer = send(token(fresh));
      if (answer.status() == 403 && !fresh.get()) {
        // The cached token may have expired or been revoked: log in once more and retry once.
        credentials.invalidate(login.identity());
        answer = send(token(new AtomicBoolean()));
      }
      if (answer.status() >= 300) {
        throw VaultErrors.fromStatus(answer.status(), "read the secret", answer.retryAfter());
      }
      try {
        Optional<VaultSecret> secret = VaultSecret.parse(answer.body());
        if (secret.isEmpty()) {
          throw ProviderException.of(
              ErrorKind.NOT_FOUND, "empty response from Vault for the object's secretPath");
        }
        if (secret.get().warnings() != null && !secret.get().warnings().isEmpty()) {
          LOG.atWarn()
              .addKeyValue("warnings", secret.get().warnings().size())
              .log("Vault's response carried warnings");
        }
        return new ResponseCache.Answer(secret.get(), answer.body().length);
      } catch (IllegalArgumentException e) {
        throw ProviderException.of(
            ErrorKind.FAILED_PRECONDITION, "Vault's response for the object is not a JSON object");
      }
    }

    private VaultClient.Answer send(String token) throws InterruptedException {
      return client.send(
          request.method(), request.pathAndQuery(), request.bodyBytes(), token, login.namespace());
    }

    @Override
    public Optional<VaultSecret> renew(String leaseId, long incrementSeconds)
        throws InterruptedException {
      return client.renew(leaseId, incrementSeconds, token(new AtomicBoolean()), login.namespace());
    }

    @Override
    public ResponseCache.LeaseRevoker revoker(String leaseId) {
      return () -> client.revoke(leaseId, token(new AtomicBoolean()), login.namespace());
    }
  }
}
