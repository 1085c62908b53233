// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The shared challenge policy against a fake Key Vault transport: a challenge is remembered only
 * when its scope belongs to the vault (as the SDK checks), then used for the identity's own token
 * on body-less GETs; requests with a body and requests that already carry a token are left alone;
 * while it is unknown, one GET learns it and concurrent ones wait for that answer.
 */
class VaultChallengesTest {
  private static final String VAULT = "https://kv-app.vault.azure.net";
  private final List<HttpRequest> sent = new CopyOnWriteArrayList<>();
  private final List<TokenRequestContext> asked = new CopyOnWriteArrayList<>();
  private final TokenCredential credential =
      request -> {
        asked.add(request);
        return Mono.just(new AccessToken("identity-token", OffsetDateTime.now().plusHours(1)));
      };

  @Test
  void aChallengeOfTheVaultsCloud_isRemembered_andAnswersTheNextGetWithTheIdentitysToken() {
    VaultChallenges challenges = new VaultChallenges(true);
    HttpPipeline pipeline =
        pipeline(
            challenges,
            "Bearer authorization=\"https://login.example/tenant-a\", resource=\"https://vault.azure.net\"");
    assertThat(
            pipeline
                .sendSync(new HttpRequest(HttpMethod.GET, VAULT + "/secrets/a"), Context.NONE)
                .getStatusCode())
        .isEqualTo(401);
    assertThat(challenges.size()).isEqualTo(1);

    HttpPipeline otherIdentity = pipeline(challenges, null);
    otherIdentity.sendSync(new HttpRequest(HttpMethod.GET, VAULT + "/secrets/b"), Context.NONE);
    assertThat(sent.get(1).getHeaders().getValue(HttpHeaderName.AUTHORIZATION))
        .isEqualTo("Bearer identity-token");
    assertThat(asked)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.getScopes()).containsExactly("https://vault.azure.net/.default");
              assertThat(request.getTenantId()).isEqualTo("tenant-a");
            });

    otherIdentity.sendSync(
        new HttpRequest(HttpMethod.POST, VAULT + "/keys/k/sign").setBody("{}"), Context.NONE);
    assertThat(sent.get(2).getHeaders().getValue(HttpHeaderName.AUTHORIZATION))
        .as("a body is the SDK's to stash")
        .isNull();
    otherIdentity.sendSync(
        new HttpRequest(HttpMethod.GET, VAULT + "/secrets/c")
            .setHeader(HttpHeaderName.AUTHORIZATION, "Bearer own"),
        Context.NONE);
    assertThat(sent.get(3).getHeaders().getValue(HttpHeaderName.AUTHORIZATION))
        .isEqualTo("Bearer own");
    otherIdentity.sendSync(
        new HttpRequest(HttpMethod.GET, "https://other.vault.azure.net/secrets/a"), Context.NONE);
    assertThat(sent.get(4).getHeaders().getValue(HttpHeaderName.AUTHORIZATION))
        .as("another vault's challenge is its own")
        .isNull();
  }

  @Test
  void aChallengeForAnotherResource_isNotRemembered() {
    VaultChallenges challenges = new VaultChallenges(true);
    pipeline(
            challenges,
            "Bearer authorization=\"https://login.example/tenant-a\", resource=\"https://attacker.example\"")
        .sendSync(new HttpRequest(HttpMethod.GET, VAULT + "/secrets/a"), Context.NONE);
    assertThat(challenges.size()).isZero();
    pipeline(challenges, null)
        .sendSync(new HttpRequest(HttpMethod.GET, VAULT + "/secrets/a"), Context.NONE);
    assertThat(sent.get(1).getHeaders().getValue(HttpHeaderName.AUTHORIZATION)).isNull();
    assertThat(asked).isEmpty();
  }

  @Test
  void
      whileAVaultsChallengeIsUnknown_oneGetLearnsIt_andConcurrentGetsWaitForItThenCarryATokenAtOnce()
          throws Exception {
    VaultChallenges challenges = new VaultChallenges(true);
    String challenge =
        "Bearer authorization=\"https://login.example/tenant-a\", resource=\"https://vault.azure.net\"";
    CountDownLatch release = new CountDownLatch(1);
    // Unauthenticated GETs are held (untimed: WAITING) until released, then answered with the
    // challenge.
    HttpPipeline pipeline =
        new HttpPipelineBuilder()
            .policies(challenges.policy(credential))
            .httpClient(
                request -> {
                  sent.add(request);
                  boolean withToken =
                      request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) != null;
                  if (!withToken) {
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                  return Mono.just(
                      new Answer(request, withToken ? 200 : 401, withToken ? null : challenge));
                })
            .build();
    ExecutorService reads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      statuses.add(
          reads.submit(
              () ->
                  pipeline
                      .sendSync(
                          new HttpRequest(HttpMethod.GET, VAULT + "/secrets/s0"), Context.NONE)
                      .getStatusCode()));
      await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() == 1);
      List<Thread> waiting = new CopyOnWriteArrayList<>();
      for (int i = 1; i < 8; i++) {
        String path = VAULT + "/secrets/s" + i;
        statuses.add(
            reads.submit(
                () -> {
                  waiting.add(Thread.currentThread());
                  return pipeline
                      .sendSync(new HttpRequest(HttpMethod.GET, path), Context.NONE)
                      .getStatusCode();
                }));
      }
      // All 7 are parked: in the policy's wait for the first answer, or (wrongly) in the transport.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  waiting.size() == 7
                      && waiting.stream()
                          .allMatch(
                              t ->
                                  t.getState() == Thread.State.WAITING
                                      || t.getState() == Thread.State.TIMED_WAITING));
      assertThat(sent).as("requests sent while the first one's answer is awaited").hasSize(1);
      release.countDown();
      for (Future<Integer> status : statuses.subList(1, 8)) {
        assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(200);
      }
      assertThat(statuses.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(401);
    } finally {
      release.countDown();
      reads.shutdownNow();
    }
    assertThat(
            sent.stream()
                .filter(r -> r.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) == null))
        .as("unauthenticated requests")
        .hasSize(1);
    assertThat(sent).hasSize(8);
  }

  /**
   * A pipeline of the policy over a transport that records requests and answers 401 with {@code
   * challenge}, or 200 when null.
   */
  private HttpPipeline pipeline(VaultChallenges challenges, String challenge) {
    return new HttpPipelineBuilder()
        .policies(challenges.policy(credential))
        .httpClient(
            request -> {
              sent.add(request);
              return Mono.just(new Answer(request, challenge == null ? 200 : 401, challenge));
            })
        .build();
  }

  /** A fixed answer with an empty body. */
  private static final class Answer extends HttpResponse {
    private final int status;
    private final HttpHeaders headers = new HttpHeaders();

    Answer(HttpRequest request, int status, String challenge) {
      super(request);
      this.status = status;
      if (challenge != null) {
        headers.set(HttpHeaderName.WWW_AUTHENTICATE, challenge);
      }
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    @Deprecated
    public String getHeaderValue(String name) {
      return headers.getValue(name);
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }

    @Override
    public Flux<ByteBuffer> getBody() {
      return Flux.empty();
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
      return Mono.just(new byte[0]);
    }

    @Override
    public Mono<String> getBodyAsString() {
      return Mono.just("");
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
      return Mono.just("");
    }
  }
}
