// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.testing.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {
  private final FakeTime time = new FakeTime();
  private final CredentialCache cache = new CredentialCache(time, 100);
  private final AtomicInteger logins = new AtomicInteger();

  /**
   * Logins wait for this, so concurrent gets surely overlap one in flight; open unless a test
   * closes it.
   */
  private volatile CountDownLatch loginsMayFinish = new CountDownLatch(0);

  private final IdentityKey alice =
      IdentityKey.of("vault", "namespace", "a", "serviceAccount", "alice");
  private final IdentityKey bob =
      IdentityKey.of("vault", "namespace", "a", "serviceAccount", "bob");

  private CredentialCache.Login<String> login(String token, Duration ttl) {
    return () -> {
      logins.incrementAndGet();
      try {
        assertThat(loginsMayFinish.await(30, TimeUnit.SECONDS))
            .as("the test lets the login finish")
            .isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Expiring<>(token + logins.get(), time.instant().plus(ttl));
    };
  }

  @Test
  void get_concurrentMountsOfOneIdentity_logInOnce() {
    loginsMayFinish = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<CompletableFuture<String>> gets = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      gets.add(
          CompletableFuture.supplyAsync(
              () -> cache.get(alice, login("t", Duration.ofHours(1))), pool));
    }
    // The first login is in flight, and the other gets are queued or waiting on it.
    await().atMost(Duration.ofSeconds(30)).until(() -> logins.get() == 1);
    loginsMayFinish.countDown();
    assertThat(gets.stream().map(CompletableFuture::join).distinct()).containsExactly("t1");
    assertThat(logins.get()).isEqualTo(1);
    pool.shutdownNow();
  }

  /**
   * "Aa" and "BB" have one hash code, so these two keys always share a bin of the cache's map: a
   * login run inside the map's compute held that bin, and the other identity waited for it.
   */
  @Test
  void get_anotherIdentitysLoginInFlight_doesNotDelayThisOne() throws Exception {
    IdentityKey slow = IdentityKey.of("vault", "namespace", "a", "serviceAccount", "Aa");
    IdentityKey other = IdentityKey.of("vault", "namespace", "a", "serviceAccount", "BB");
    assertThat(slow.hashCode()).isEqualTo(other.hashCode());
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch slowMayFinish = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<String> slowGet =
          CompletableFuture.supplyAsync(
              () ->
                  cache.get(
                      slow,
                      () -> {
                        slowStarted.countDown();
                        try {
                          slowMayFinish.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return new Expiring<>("slow", time.instant().plus(Duration.ofHours(1)));
                      }),
              pool);
      assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();

      CompletableFuture<String> otherGet =
          CompletableFuture.supplyAsync(
              () -> cache.get(other, login("other", Duration.ofHours(1))), pool);

      assertThat(otherGet.get(30, TimeUnit.SECONDS)).isEqualTo("other1");
      assertThat(slowGet).isNotDone();
      slowMayFinish.countDown();
      assertThat(slowGet.get(30, TimeUnit.SECONDS)).isEqualTo("slow");
    } finally {
      slowMayFinish.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void get_waitersOfAFailedLogin_getItsRefusal_andTheNextGetLogsInAgain() throws Exception {
    loginsMayFinish = new CountDownLatch(1);
    CredentialCache.Login<String> failing =
        () -> {
          logins.incrementAndGet();
          try {
            loginsMayFinish.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw ProviderException.of(ErrorKind.PERMISSION_DENIED, "login refused");
        };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<String>> gets = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        gets.add(CompletableFuture.supplyAsync(() -> cache.get(alice, failing), pool));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> logins.get() == 1);
      loginsMayFinish.countDown();
      // A get that arrived after the failure logs in itself; either way each sees the refusal.
      for (CompletableFuture<String> get : gets) {
        assertThatThrownBy(get::join)
            .hasRootCauseInstanceOf(ProviderException.class)
            .rootCause()
            .satisfies(
                cause ->
                    assertThat(((ProviderException) cause).kind())
                        .isEqualTo(ErrorKind.PERMISSION_DENIED));
      }
      int failedLogins = logins.get();
      assertThat(failedLogins).isBetween(1, 4);
      assertThat(cache.get(alice, login("t", Duration.ofHours(1))))
          .as("nothing cached from the failure")
          .isEqualTo("t" + (failedLogins + 1));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void get_identitiesNeverShareACredential() {
    assertThat(cache.get(alice, login("a", Duration.ofHours(1)))).isEqualTo("a1");
    assertThat(cache.get(bob, login("b", Duration.ofHours(1)))).isEqualTo("b2");
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void get_shortlyBeforeExpiry_logsInAgain() {
    cache.get(alice, login("t", Duration.ofMinutes(10)));
    time.advance(Duration.ofMinutes(9));
    assertThat(cache.get(alice, login("t", Duration.ofMinutes(10)))).isEqualTo("t1");
    time.advance(Duration.ofSeconds(40));
    assertThat(cache.get(alice, login("t", Duration.ofMinutes(10)))).isEqualTo("t2");
  }

  @Test
  void invalidate_forcesANewLogin() {
    cache.get(alice, login("t", Duration.ofHours(1)));
    cache.invalidate(alice);
    assertThat(cache.get(alice, login("t", Duration.ofHours(1)))).isEqualTo("t2");
  }

  @Test
  void get_failedLogin_cachesNothing() {
    assertThatThrownBy(
            () ->
                cache.get(
                    alice,
                    () -> {
                      throw ProviderException.of(
                          io.secretsstore.provider.mount.ErrorKind.PERMISSION_DENIED,
                          "login denied");
                    }))
        .isInstanceOf(ProviderException.class);
    assertThat(cache.get(alice, login("t", Duration.ofHours(1)))).isEqualTo("t1");
  }

  @Test
  void expiring_toStringHidesTheCredential() {
    assertThat(new Expiring<>("hvs.secret-token", time.instant()).toString())
        .doesNotContain("hvs.secret-token");
  }
}
