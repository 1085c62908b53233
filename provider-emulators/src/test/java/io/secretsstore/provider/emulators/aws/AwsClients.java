// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import io.secretsstore.provider.emulators.StartedEmulator;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Real AWS SDK v2 clients pointed at a started emulator, trusting only its CA, without retries. */
final class AwsClients {
  private AwsClients() {}

  static SdkHttpClient http(Path caFile) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    return UrlConnectionHttpClient.builder()
        .tlsTrustManagersProvider(trust::getTrustManagers)
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(10))
        .build();
  }

  static ClientOverrideConfiguration noRetries() {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(RetryMode.STANDARD)
        .retryStrategy(b -> b.maxAttempts(1))
        .build();
  }

  static AwsCredentials staticPair(AwsEmulator aws) {
    String[] pair = aws.staticCredentials();
    return AwsBasicCredentials.create(pair[0], pair[1]);
  }

  static AwsCredentials session(Credentials c) {
    return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
  }

  static URI https(StartedEmulator started) {
    return URI.create(started.settings().get("AWS_ENDPOINT_URL"));
  }

  static SecretsManagerClient secrets(
      StartedEmulator started, SdkHttpClient http, AwsCredentials credentials, String region) {
    return SecretsManagerClient.builder()
        .endpointOverride(https(started))
        .region(Region.of(region))
        .httpClient(http)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(noRetries())
        .build();
  }

  static SsmClient ssm(StartedEmulator started, SdkHttpClient http, AwsCredentials credentials) {
    return SsmClient.builder()
        .endpointOverride(https(started))
        .region(Region.US_EAST_1)
        .httpClient(http)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(noRetries())
        .build();
  }

  static StsClient sts(StartedEmulator started, SdkHttpClient http) {
    return StsClient.builder()
        .endpointOverride(https(started))
        .region(Region.US_EAST_1)
        .httpClient(http)
        .credentialsProvider(
            software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
        .overrideConfiguration(noRetries())
        .build();
  }
}
