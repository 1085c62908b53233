// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.lang.ref.WeakReference;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;

/**
 * The JDK HTTP clients that carry Vault calls: one per TLS configuration, not one per address, so a
 * thousand {@code vaultAddress} values cost one selector thread, not a thousand. The operator's
 * configuration keeps its client for the process; those a SecretProviderClass adds (a server name,
 * a CA file) are kept least-recently-used, a few at a time.
 *
 * <p>Java 17's HttpClient cannot be closed: an evicted client's selector thread ends only once the
 * client is garbage and idle. Evicted clients are therefore tracked weakly, and while too many are
 * still alive a new TLS configuration is refused (RESOURCE_EXHAUSTED) instead of starting one more
 * thread: the thread count is bounded whatever the tenants send.
 */
final class VaultHttpClients {
  /** Distinct SecretProviderClass TLS configurations kept at once. */
  static final int MAX_KEPT = 16;

  /** Evicted clients that may still hold a thread before new configurations are refused. */
  static final int MAX_RETIRED = 32;

  private final TlsConfig operatorTls;
  private final Duration connectTimeout;
  private HttpClient plainClient;
  private HttpClient operatorClient;
  private final Map<TlsConfig, HttpClient> kept = new LinkedHashMap<>(16, 0.75f, true);
  private final List<WeakReference<HttpClient>> retired = new ArrayList<>();

  VaultHttpClients(TlsConfig operatorTls, Duration connectTimeout) {
    this.operatorTls = operatorTls;
    this.connectTimeout = connectTimeout;
  }

  /**
   * The client for an address and its TLS configuration (the operator's, or the operator's overlaid
   * by a SecretProviderClass); plain-HTTP addresses share one client without TLS.
   */
  synchronized HttpClient forAddress(String address, TlsConfig tls) {
    if (!address.startsWith("https:")) {
      if (plainClient == null) {
        plainClient = builder().build();
      }
      return plainClient;
    }
    if (tls.equals(operatorTls)) {
      if (operatorClient == null) {
        operatorClient = create(tls);
      }
      return operatorClient;
    }
    HttpClient client = kept.get(tls);
    if (client != null) {
      return client;
    }
    retired.removeIf(reference -> reference.get() == null);
    if (kept.size() >= MAX_KEPT && retired.size() >= MAX_RETIRED) {
      throw ProviderException.of(
          ErrorKind.RESOURCE_EXHAUSTED,
          "too many distinct Vault TLS settings ("
              + VaultParameters.SERVER_NAME
              + ", "
              + VaultParameters.CA_CERT
              + ", ...) are in use at once; retry later");
    }
    client = create(tls);
    kept.put(tls, client);
    if (kept.size() > MAX_KEPT) {
      Iterator<HttpClient> eldest = kept.values().iterator();
      retired.add(new WeakReference<>(eldest.next()));
      eldest.remove();
    }
    return client;
  }

  /** Clients kept plus evicted ones not yet collected: an upper bound on their selector threads. */
  synchronized int liveClients() {
    retired.removeIf(reference -> reference.get() == null);
    return (plainClient == null ? 0 : 1)
        + (operatorClient == null ? 0 : 1)
        + kept.size()
        + retired.size();
  }

  private HttpClient create(TlsConfig tls) {
    HttpClient.Builder builder = builder().sslContext(TlsContexts.create(tls));
    if (!tls.serverName().isEmpty()) {
      SSLParameters parameters = new SSLParameters();
      try {
        parameters.setServerNames(List.of(new SNIHostName(tls.serverName())));
      } catch (IllegalArgumentException e) {
        throw ProviderException.invalidArgument(
            VaultParameters.SERVER_NAME + " is not a host name");
      }
      builder.sslParameters(parameters);
    }
    return builder.build();
  }

  private HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
  }
}
