// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Secret Manager client per location ("" for the global endpoint), created on first use: the
 * cache creates each exactly once however many mounts race for it, and a failed creation is not
 * stored (upstream's regional map has neither guarantee). Clients carry no credentials; every call
 * names the pod's. Locations come from tenants' resource names, so clients are kept
 * least-recently-used up to {@link #MAX_LOCATIONS} and the global one always: made-up locations
 * evict each other (and at worst cost a real region a new channel), never block anyone.
 */
final class GcpClients implements AutoCloseable {
  /** Google has about 40 regions: regional clients kept at once. */
  static final int MAX_LOCATIONS = 64;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final GcpSettings settings;
  private final TrustedCas cas;
  private final Map<String, Client> global = new ConcurrentHashMap<>();

  /** Evicted clients are shut down gracefully: a call still running on one finishes. */
  private final Cache<String, Client> regional =
      Caffeine.newBuilder()
          .maximumSize(MAX_LOCATIONS)
          .<String, Client>removalListener(
              (location, client, cause) -> {
                if (client != null) {
                  client.api().close();
                  client.channel().shutdown();
                }
              })
          .executor(Runnable::run)
          .build();

  private record Client(ManagedChannel channel, SecretManagerServiceClient api) {}

  GcpClients(GcpSettings settings, TrustedCas cas) {
    this.settings = settings;
    this.cas = cas;
  }

  /** The client for a location (empty for global). */
  SecretManagerServiceClient secretManager(String location) {
    if (location.isEmpty()) {
      return global.computeIfAbsent(location, this::create).api();
    }
    return regional.get(location, this::create).api();
  }

  /**
   * How many clients exist (for tests: one per location, however many mounts, at most the bound).
   */
  int size() {
    regional.cleanUp();
    return global.size() + (int) regional.estimatedSize();
  }

  private Client create(String location) {
    ChannelCredentials tls =
        TlsChannelCredentials.newBuilder().trustManager(cas.trustManagers()).build();
    ManagedChannel channel =
        Grpc.newChannelBuilder(settings.secretManagerFor(location), tls)
            .userAgent("secrets-store-provider")
            .build();
    try {
      SecretManagerServiceSettings.Builder builder =
          SecretManagerServiceSettings.newBuilder()
              .setTransportChannelProvider(
                  FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
              .setCredentialsProvider(NoCredentialsProvider.create());
      noClientRetries(builder.accessSecretVersionSettings());
      return new Client(channel, SecretManagerServiceClient.create(builder.build()));
    } catch (IOException | RuntimeException e) {
      channel.shutdownNow();
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE, "cannot create the Secret Manager client", e);
    }
  }

  /**
   * The engine is the one retry layer (attempts, backoff, circuit breaker), so the client does not
   * retry underneath it and multiply the calls; each attempt has its own time limit.
   */
  private static void noClientRetries(UnaryCallSettings.Builder<?, ?> call) {
    call.setRetryableCodes(Set.of());
    call.setRetrySettings(
        call.getRetrySettings().toBuilder()
            .setMaxAttempts(1)
            .setInitialRpcTimeoutDuration(CALL_TIMEOUT)
            .setMaxRpcTimeoutDuration(CALL_TIMEOUT)
            .setTotalTimeoutDuration(CALL_TIMEOUT)
            .build());
  }

  @Override
  public void close() {
    List<Client> clients = new ArrayList<>(global.values());
    clients.addAll(regional.asMap().values());
    for (Client client : clients) {
      client.api().close();
      client.channel().shutdownNow();
    }
    for (Client client : clients) {
      try {
        client.channel().awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
