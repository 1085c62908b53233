// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.secretsstore.provider.tls.CaBundles;
import java.time.Duration;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK clients, one per service and region, sharing one HTTP client and its warm connections.
 * They carry no credentials of their own: every request names the pod's, so one client serves every
 * identity and a new identity's first calls reuse the connections of earlier ones. The region comes
 * from a SecretProviderClass, so the clients per service are kept least-recently-used up to {@link
 * #MAX_REGIONS}: made-up regions evict each other, not the clients everyone else uses.
 */
final class AwsClients implements AutoCloseable {
  /** AWS has about 35 regions; more distinct ones in use at once is a mistake or an attack. */
  static final int MAX_REGIONS = 64;

  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
  private final AwsSettings settings;
  private final SdkHttpClient http;
  private final Cache<String, SecretsManagerClient> secretsManager = perRegion();
  private final Cache<String, SsmClient> ssm = perRegion();
  private final Cache<String, StsClient> sts = perRegion();

  /**
   * An evicted client is closed: the shared HTTP client is not the SDK client's to close, so a call
   * still running on it finishes on its connection.
   */
  private static <C extends SdkAutoCloseable> Cache<String, C> perRegion() {
    return Caffeine.newBuilder()
        .maximumSize(MAX_REGIONS)
        .<String, C>removalListener(
            (region, client, cause) -> {
              if (client != null) {
                client.close();
              }
            })
        .executor(Runnable::run)
        .build();
  }

  /**
   * The SDK's URL-connection client pools through the JDK's HttpURLConnection keep-alive cache,
   * which by default keeps only 5 idle connections per host, each for 5 s: the 10 parallel reads of
   * a cold mount then opened 5 or more new TLS connections, and a pod that arrived after a pause
   * opened all of them again. The cache reads these properties once, when it is first used, which
   * in this process is through these clients; an operator's own -D setting wins.
   */
  static final int IDLE_CONNECTIONS_PER_HOST = 64;

  static final int IDLE_SECONDS = 55;

  static void keepConnectionsWarm() {
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", Integer.toString(IDLE_CONNECTIONS_PER_HOST));
    }
    if (System.getProperty("http.keepAlive.time.server") == null) {
      // Below the 60 s after which AWS endpoints close idle connections themselves.
      System.setProperty("http.keepAlive.time.server", Integer.toString(IDLE_SECONDS));
    }
  }

  AwsClients(AwsSettings settings) {
    keepConnectionsWarm();
    this.settings = settings;
    UrlConnectionHttpClient.Builder builder = UrlConnectionHttpClient.builder();
    if (settings.caBundle() != null) {
      TrustManager[] trust =
          CaBundles.trustManagers(settings.caBundle(), "--aws-ca-bundle (AWS_CA_BUNDLE)");
      builder.tlsTrustManagersProvider(() -> trust);
    }
    this.http = builder.build();
  }

  SecretsManagerClient secretsManager(String region) {
    return secretsManager.get(
        region,
        r -> {
          var builder =
              SecretsManagerClient.builder()
                  .region(Region.of(r))
                  .httpClient(http)
                  .credentialsProvider(AnonymousCredentialsProvider.create())
                  .overrideConfiguration(AwsClients::noSdkRetries);
          if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
          }
          return builder.build();
        });
  }

  SsmClient ssm(String region) {
    return ssm.get(
        region,
        r -> {
          var builder =
              SsmClient.builder()
                  .region(Region.of(r))
                  .httpClient(http)
                  .credentialsProvider(AnonymousCredentialsProvider.create())
                  .overrideConfiguration(AwsClients::noSdkRetries);
          if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
          }
          return builder.build();
        });
  }

  StsClient sts(String region) {
    return sts.get(
        region,
        r -> {
          var builder =
              StsClient.builder()
                  .region(Region.of(r))
                  .httpClient(http)
                  .credentialsProvider(AnonymousCredentialsProvider.create())
                  .overrideConfiguration(AwsClients::noSdkRetries);
          if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
          }
          return builder.build();
        });
  }

  /**
   * The engine is the one retry layer (attempts, backoff, Retry-After, circuit breaker per region),
   * so the SDK does not retry underneath it and multiply the calls.
   */
  private static void noSdkRetries(ClientOverrideConfiguration.Builder builder) {
    builder.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallAttemptTimeout(ATTEMPT_TIMEOUT);
  }

  @Override
  public void close() {
    secretsManager.invalidateAll();
    ssm.invalidateAll();
    sts.invalidateAll();
    secretsManager.cleanUp();
    ssm.cleanUp();
    sts.cleanUp();
    http.close();
  }

  /** Clients held now across services, for tests. */
  long size() {
    return secretsManager.estimatedSize() + ssm.estimatedSize() + sts.estimatedSize();
  }
}
