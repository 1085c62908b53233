// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Secret Manager client per location ("" for the global endpoint), created on first use and
 * kept for the process: {@code computeIfAbsent} creates each exactly once however many mounts race
 * for it, and a failed creation is not stored (upstream's regional map has neither guarantee).
 * Clients carry no credentials; every call names the pod's.
 */
final class GcpClients implements AutoCloseable {
  /** Google has about 40 regions: more distinct locations than this is a mistake or an attack. */
  static final int MAX_LOCATIONS = 64;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final GcpSettings settings;
  private final TrustedCas cas;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();

  private record Client(ManagedChannel channel, SecretManagerServiceClient api) {}

  GcpClients(GcpSettings settings, TrustedCas cas) {
    this.settings = settings;
    this.cas = cas;
  }

  /** The client for a location (empty for global). */
  SecretManagerServiceClient secretManager(String location) {
    Client existing = clients.get(location);
    if (existing != null) {
      return existing.api();
    }
    if (clients.size() >= MAX_LOCATIONS) {
      throw ProviderException.of(ErrorKind.RESOURCE_EXHAUSTED, "more than " + MAX_LOCATIONS + " Secret Manager locations are in use");
    }
    return clients.computeIfAbsent(location, this::create).api();
  }

  /** How many clients exist (for tests: one per location, however many mounts). */
  int size() {
    return clients.size();
  }

  private Client create(String location) {
    ChannelCredentials tls = TlsChannelCredentials.newBuilder().trustManager(cas.trustManagers()).build();
    ManagedChannel channel = Grpc.newChannelBuilder(settings.secretManagerFor(location), tls)
        .userAgent("secrets-store-provider")
        .build();
    try {
      SecretManagerServiceSettings.Builder builder = SecretManagerServiceSettings.newBuilder()
          .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
          .setCredentialsProvider(NoCredentialsProvider.create());
      noClientRetries(builder.accessSecretVersionSettings());
      return new Client(channel, SecretManagerServiceClient.create(builder.build()));
    } catch (IOException | RuntimeException e) {
      channel.shutdownNow();
      throw ProviderException.of(ErrorKind.UNAVAILABLE, "cannot create the Secret Manager client", e);
    }
  }

  /**
   * The engine is the one retry layer (attempts, backoff, circuit breaker), so the client does
   * not retry underneath it and multiply the calls; each attempt has its own time limit.
   */
  private static void noClientRetries(UnaryCallSettings.Builder<?, ?> call) {
    call.setRetryableCodes(Set.of());
    call.setRetrySettings(call.getRetrySettings().toBuilder().setMaxAttempts(1)
        .setInitialRpcTimeoutDuration(CALL_TIMEOUT).setMaxRpcTimeoutDuration(CALL_TIMEOUT).setTotalTimeoutDuration(CALL_TIMEOUT).build());
  }

  @Override
  public void close() {
    for (Client client : clients.values()) {
      client.api().close();
      client.channel().shutdownNow();
    }
    for (Client client : clients.values()) {
      try {
        client.channel().awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
