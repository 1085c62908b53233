// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
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
      TrustManager[] trust = trustManagers(settings);
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

  private static TrustManager[] trustManagers(AwsSettings settings) {
    try (InputStream in = Files.newInputStream(settings.caBundle())) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw ProviderException.of(ErrorKind.FAILED_PRECONDITION, "--aws-ca-bundle holds no certificate");
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw ProviderException.of(ErrorKind.FAILED_PRECONDITION, "cannot read --aws-ca-bundle (AWS_CA_BUNDLE)", e);
    }
  }

  @Override
  public void close() {
    secretsManager.values().forEach(SecretsManagerClient::close);
    ssm.values().forEach(SsmClient::close);
    sts.values().forEach(StsClient::close);
    http.close();
  }
}
