// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Context;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.tls.CaBundles;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import reactor.core.publisher.Mono;

/**
 * The transport of AKS identity binding ({@code useAzureTokenProxy}), as azidentity's {@code
 * EnableAzureProxy} builds it: every request of the credential goes to the token proxy instead of
 * Entra ID (the proxy's path joined with the request's, the query kept), over TLS that sends the
 * cluster-specific SNI name, checks the certificate against that name and trusts the cluster's CA.
 *
 * <p>Built once at start-up from the operator's flags. A bad flag does not stop the provider
 * (upstream also only fails identity-binding mounts); those mounts fail with FAILED_PRECONDITION
 * naming the flag. The SNI name, unless given, is derived from the API server's certificate on the
 * first identity-binding mount, so that a start never waits on the API server.
 */
final class TokenProxy {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI url;
  private final SSLContext ssl;
  private final String problem;
  private volatile String sniName;
  private volatile HttpClient http;

  private TokenProxy(URI url, SSLContext ssl, String sniName, String problem) {
    this.url = url;
    this.ssl = ssl;
    this.sniName = sniName;
    this.problem = problem;
  }

  /** The proxy of the flags, or one that explains on each use why it cannot be used. */
  static TokenProxy start(AzureSettings.TokenEndpoints endpoints) {
    URI url = endpoints.tokenProxy();
    if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
      return failed("--azure-token-proxy-url must not contain user info, a query or a fragment");
    }
    Path ca = endpoints.tokenProxyCa();
    SSLContext ssl;
    try {
      ssl =
          ca != null && Files.exists(ca)
              ? CaBundles.sslContext(ca, "--azure-token-proxy-ca-file")
              : SSLContext.getDefault();
    } catch (ProviderException e) {
      return failed(e.getMessage());
    } catch (java.security.NoSuchAlgorithmException e) {
      return failed("the JDK has no default TLS context");
    }
    String sni = endpoints.tokenProxySniName();
    if (sni != null) {
      try {
        new SNIHostName(sni);
      } catch (IllegalArgumentException e) {
        return failed("--azure-token-proxy-sni-name must be a DNS name");
      }
    }
    return new TokenProxy(url, ssl, sni, null);
  }

  private static TokenProxy failed(String problem) {
    return new TokenProxy(null, null, null, problem);
  }

  /** The HTTP client the identity-binding credential sends its requests with. */
  HttpClient http() {
    if (problem != null) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          "identity binding (useAzureTokenProxy) is not available: " + problem);
    }
    HttpClient client = http;
    if (client == null) {
      synchronized (this) {
        if (http == null) {
          if (sniName == null) {
            sniName = ApiServerSni.derive(ssl);
          }
          SSLParameters parameters = ssl.getDefaultSSLParameters();
          parameters.setServerNames(List.of(new SNIHostName(sniName)));
          java.net.http.HttpClient.Builder jdk =
              java.net.http.HttpClient.newBuilder()
                  .connectTimeout(TIMEOUT)
                  .sslContext(ssl)
                  .sslParameters(parameters);
          http = new Rewriting(new JdkHttpClientBuilder(jdk).responseTimeout(TIMEOUT).build(), url);
        }
        client = http;
      }
    }
    return client;
  }

  /** Sends each request to the proxy instead of its own host. */
  private static final class Rewriting implements HttpClient {
    private final HttpClient delegate;
    private final URI proxy;

    Rewriting(HttpClient delegate, URI proxy) {
      this.delegate = delegate;
      this.proxy = proxy;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
      return Mono.defer(() -> delegate.send(toProxy(request)));
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
      return Mono.defer(() -> delegate.send(toProxy(request), context));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
      return delegate.sendSync(toProxy(request), context);
    }

    private HttpRequest toProxy(HttpRequest request) {
      URL original = request.getUrl();
      String base =
          proxy.getRawPath() == null || proxy.getRawPath().isEmpty() ? "/" : proxy.getRawPath();
      String path = original.getPath().isEmpty() ? "/" : original.getPath();
      String joined =
          base.endsWith("/") && path.startsWith("/")
              ? base + path.substring(1)
              : !base.endsWith("/") && !path.startsWith("/") ? base + "/" + path : base + path;
      String target =
          "https://"
              + address()
              + (proxy.getPort() < 0 ? "" : ":" + proxy.getPort())
              + joined
              + (original.getQuery() == null ? "" : "?" + original.getQuery());
      try {
        return request.copy().setUrl(new URL(target));
      } catch (MalformedURLException e) {
        throw ProviderException.of(
            ErrorKind.FAILED_PRECONDITION, "--azure-token-proxy-url does not make a request URL");
      }
    }

    /**
     * The proxy's address as a literal: the JDK client replaces the SNI name it was given with the
     * URL's host name, but keeps it for an address, and then checks the certificate against it.
     */
    private String address() {
      try {
        InetAddress address = InetAddress.getByName(proxy.getHost());
        String literal = address.getHostAddress();
        return literal.contains(":") ? "[" + literal + "]" : literal;
      } catch (UnknownHostException e) {
        throw ProviderException.of(
            ErrorKind.UNAVAILABLE, "cannot resolve the host of --azure-token-proxy-url");
      }
    }
  }
}
