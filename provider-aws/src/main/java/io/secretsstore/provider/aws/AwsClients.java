// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.tls.CaBundles;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * The SDK clients, one per service and region, sharing one HTTP client. They carry no credentials
 * of their own: every request names the pod's, so one client serves every identity.
 */
final class AwsClients implements AutoCloseable {
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
  private final AwsSettings settings;
  private final SdkHttpClient http;
  private final Map<String, SecretsManagerClient> secretsManager = new ConcurrentHashMap<>();
  private final Map<String, SsmClient> ssm = new ConcurrentHashMap<>();
  private final Map<String, StsClient> sts = new ConcurrentHashMap<>();

  AwsClients(AwsSettings settings) {
    this.settings = settings;
    UrlConnectionHttpClient.Builder builder = UrlConnectionHttpClient.builder();
    if (settings.caBundle() != null) {
      TrustManager[] trust = CaBundles.trustManagers(settings.caBundle(), "--aws-ca-bundle (AWS_CA_BUNDLE)");
      builder.tlsTrustManagersProvider(() -> trust);
    }
    this.http = builder.build();
  }

  SecretsManagerClient secretsManager(String region) {
    return secretsManager.computeIfAbsent(region, r -> {
      var builder = SecretsManagerClient.builder().region(Region.of(r)).httpClient(http)
          .credentialsProvider(AnonymousCredentialsProvider.create()).overrideConfiguration(AwsClients::noSdkRetries);
      if (settings.endpoint() != null) {
        builder.endpointOverride(settings.endpoint());
      }
      return builder.build();
    });
  }

  SsmClient ssm(String region) {
    return ssm.computeIfAbsent(region, r -> {
      var builder = SsmClient.builder().region(Region.of(r)).httpClient(http)
          .credentialsProvider(AnonymousCredentialsProvider.create()).overrideConfiguration(AwsClients::noSdkRetries);
      if (settings.endpoint() != null) {
        builder.endpointOverride(settings.endpoint());
      }
      return builder.build();
    });
  }

  StsClient sts(String region) {
    return sts.computeIfAbsent(region, r -> {
      var builder = StsClient.builder().region(Region.of(r)).httpClient(http)
          .credentialsProvider(AnonymousCredentialsProvider.create()).overrideConfiguration(AwsClients::noSdkRetries);
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
    secretsManager.values().forEach(SecretsManagerClient::close);
    ssm.values().forEach(SsmClient::close);
    sts.values().forEach(StsClient::close);
    http.close();
  }
}
