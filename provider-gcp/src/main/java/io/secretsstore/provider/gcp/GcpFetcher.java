// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import com.google.api.core.ApiFuture;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.rpc.ApiException;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.BackendCalls;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.ObjectFetcher;
import io.secretsstore.provider.spi.PlannedObject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * Reads one mount's secrets with the identity's Google credential, which comes from the
 * process-wide credential cache: one token exchange (and impersonation) per identity while the
 * token is valid. A pinned version ({@code versions/3}) never changes, so it is declared stable for
 * {@link #PINNED_STABLE} and rotation serves it from the cache without a call.
 */
final class GcpFetcher implements ObjectFetcher<GcpSpec> {
  /** How long a pinned version is served without asking again (it may be disabled meanwhile). */
  static final Duration PINNED_STABLE = Duration.ofHours(1);

  static final String ACCESS = "AccessSecretVersion";

  private final IdentityKey identity;
  private final CredentialCache credentials;
  private final CredentialCache.Login<GoogleCredentials> login;
  private final GcpClients clients;
  private final Clock clock;
  private final BackendCalls calls;

  GcpFetcher(
      IdentityKey identity,
      CredentialCache credentials,
      CredentialCache.Login<GoogleCredentials> login,
      GcpClients clients,
      Clock clock,
      BackendCalls calls) {
    this.identity = identity;
    this.credentials = credentials;
    this.login = login;
    this.clients = clients;
    this.clock = clock;
    this.calls = calls;
  }

  @Override
  public FetchedObject fetch(PlannedObject<GcpSpec> object) throws InterruptedException {
    GcpSpec spec = object.spec();
    GoogleCredentials google = credentials.get(identity, login);
    AccessSecretVersionResponse response;
    try {
      response = access(spec.resource(), google);
    } catch (ProviderException e) {
      if (e.kind() == ErrorKind.PERMISSION_DENIED) {
        // A revoked or expired token must not be reused by the next mount.
        credentials.invalidate(identity);
      }
      throw e;
    }
    byte[] contents = response.getPayload().getData().toByteArray();
    if (!spec.extractJsonKey().isEmpty()) {
      contents = KeyExtractor.json(contents, spec.extractJsonKey());
    } else if (!spec.extractYamlKey().isEmpty()) {
      contents = KeyExtractor.yaml(contents, spec.extractYamlKey());
    }
    String version = response.getName().isEmpty() ? spec.resource().name() : response.getName();
    FetchedObject fetched = FetchedObject.single(object, contents, version);
    return spec.resource().pinned()
        ? fetched.stableUntil(clock.instant().plus(PINNED_STABLE))
        : fetched;
  }

  /** One AccessSecretVersion call; interruptible, unlike the client's blocking call. */
  private AccessSecretVersionResponse access(ResourceName resource, GoogleCredentials google)
      throws InterruptedException {
    GrpcCallContext context = GrpcCallContext.createDefault().withCredentials(google);
    AccessSecretVersionRequest request =
        AccessSecretVersionRequest.newBuilder().setName(resource.name()).build();
    long start = System.nanoTime();
    ApiFuture<AccessSecretVersionResponse> future =
        clients
            .secretManager(resource.location())
            .accessSecretVersionCallable()
            .futureCall(request, context);
    try {
      AccessSecretVersionResponse response = future.get();
      calls.record(ACCESS, "OK", Duration.ofNanos(System.nanoTime() - start));
      return response;
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiException api) {
        calls.record(
            ACCESS,
            api.getStatusCode().getCode().name(),
            Duration.ofNanos(System.nanoTime() - start));
        throw SecretManagerErrors.map(api, ACCESS);
      }
      calls.record(ACCESS, "unreachable", Duration.ofNanos(System.nanoTime() - start));
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE, ACCESS + ": cannot reach Secret Manager", e.getCause());
    }
  }
}
