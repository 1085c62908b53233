// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.AuthenticateChallenge;
import com.azure.core.util.CoreUtils;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * The bearer challenge (tenant and scope) of each vault, learned once per process and used by the
 * clients of every identity. The Key Vault SDK learns it per client, by sending a client's first
 * request without a token and reading the 401, so every new identity paid one more round trip per
 * parallel read. The policy runs after the SDK's credential policy: a GET it sent without a token
 * to a vault whose challenge is known gets the identity's own token for that scope instead.
 *
 * <p>While a vault's challenge is unknown, one unauthenticated GET at a time goes out to learn it;
 * concurrent ones (the parallel first reads of a mount, or a storm of them) wait for its answer
 * instead of each earning a 401 of their own, and then carry a token from the start.
 */
final class VaultChallenges {
  /** Vaults remembered at once; a node uses a handful, so this only bounds a mistake. */
  static final int MAX_VAULTS = 1_000;

  private record Challenge(String tenantId, String scope) {}

  /** How long a GET waits for another request's answer to learn its vault's challenge. */
  static final Duration PROBE_WAIT = Duration.ofSeconds(10);

  private final Map<String, Challenge> byAuthority = new ConcurrentHashMap<>();

  /** The unauthenticated requests in flight that will learn a vault's challenge, one per vault. */
  private final Map<String, CountDownLatch> probes = new ConcurrentHashMap<>();

  private final boolean verifyResource;

  /**
   * @param verifyResource whether the challenge's scope must belong to the vault's host, as the SDK
   *     checks (off only for an emulator or a proxy address)
   */
  VaultChallenges(boolean verifyResource) {
    this.verifyResource = verifyResource;
  }

  /** The policy for one identity's clients, whose tokens come from {@code credential}. */
  HttpPipelinePolicy policy(TokenCredential credential) {
    return new Policy(credential);
  }

  /** Vaults whose challenge is known, for tests. */
  int size() {
    return byAuthority.size();
  }

  private static String authority(URL url) {
    return url.getHost().toLowerCase(Locale.ROOT)
        + ":"
        + (url.getPort() < 0 ? url.getDefaultPort() : url.getPort());
  }

  private void learn(HttpRequest request, HttpResponse response) {
    String header = response.getHeaderValue(HttpHeaderName.WWW_AUTHENTICATE);
    if (header == null || byAuthority.size() >= MAX_VAULTS) {
      return;
    }
    for (AuthenticateChallenge challenge : CoreUtils.parseAuthenticateHeader(header)) {
      if (!"Bearer".equalsIgnoreCase(challenge.getScheme())) {
        continue;
      }
      Map<String, String> parameters = challenge.getParameters();
      String authorization =
          parameters.getOrDefault("authorization", parameters.get("authorization_uri"));
      String scope = parameters.get("scope");
      if (scope == null && parameters.get("resource") != null) {
        scope = parameters.get("resource") + "/.default";
      }
      if (authorization == null || scope == null) {
        return;
      }
      String tenant = URI.create(authorization).getPath().replaceFirst("^/", "").split("/")[0];
      if (tenant.isEmpty() || (verifyResource && !belongsToVault(scope, request.getUrl()))) {
        // The SDK refuses such a challenge; it is not remembered either.
        return;
      }
      byAuthority.put(authority(request.getUrl()), new Challenge(tenant, scope));
      return;
    }
  }

  private static boolean belongsToVault(String scope, URL vault) {
    String scopeHost = URI.create(scope).getHost();
    return scopeHost != null
        && vault
            .getHost()
            .toLowerCase(Locale.ROOT)
            .endsWith("." + scopeHost.toLowerCase(Locale.ROOT));
  }

  /** One identity's side of the shared challenges. */
  private final class Policy implements HttpPipelinePolicy {
    private final TokenCredential credential;

    Policy(TokenCredential credential) {
      this.credential = credential;
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
      return HttpPipelinePosition.PER_RETRY;
    }

    @Override
    public HttpResponse processSync(
        HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
      HttpRequest request = context.getHttpRequest();
      boolean unauthenticated = request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) == null;
      Challenge known = unauthenticated ? knownFor(request) : null;
      CountDownLatch probe = null;
      if (unauthenticated && known == null && request.getHttpMethod() == HttpMethod.GET) {
        probe = new CountDownLatch(1);
        CountDownLatch inFlight = probes.putIfAbsent(authority(request.getUrl()), probe);
        if (inFlight != null) {
          probe = null;
          awaitQuietly(inFlight);
          known = knownFor(request);
        }
      }
      if (known != null) {
        AccessToken token = credential.getTokenSync(context(known));
        request.setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + token.getToken());
      }
      try {
        HttpResponse response = next.processSync();
        if (unauthenticated && known == null && response.getStatusCode() == 401) {
          learn(request, response);
        }
        return response;
      } finally {
        if (probe != null) {
          probes.remove(authority(request.getUrl()), probe);
          probe.countDown();
        }
      }
    }

    /**
     * Waits for another request's answer; an interrupt or a slow vault sends this one without a
     * token, as before.
     */
    private void awaitQuietly(CountDownLatch inFlight) {
      try {
        inFlight.await(PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public Mono<HttpResponse> process(
        HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
      HttpRequest request = context.getHttpRequest();
      boolean unauthenticated = request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) == null;
      Challenge known = unauthenticated ? knownFor(request) : null;
      Mono<Void> authorize =
          known == null
              ? Mono.empty()
              : credential
                  .getToken(context(known))
                  .doOnNext(
                      token ->
                          request.setHeader(
                              HttpHeaderName.AUTHORIZATION, "Bearer " + token.getToken()))
                  .then();
      return authorize
          .then(Mono.defer(next::process))
          .doOnNext(
              response -> {
                if (unauthenticated && known == null && response.getStatusCode() == 401) {
                  learn(request, response);
                }
              });
    }

    /**
     * The known challenge, for a body-less GET only: the SDK stashes a body it held back, which
     * this cannot restore.
     */
    private Challenge knownFor(HttpRequest request) {
      return request.getHttpMethod() == HttpMethod.GET
          ? byAuthority.get(authority(request.getUrl()))
          : null;
    }

    private TokenRequestContext context(Challenge known) {
      return new TokenRequestContext()
          .addScopes(known.scope())
          .setTenantId(known.tenantId())
          .setCaeEnabled(true);
    }
  }
}
