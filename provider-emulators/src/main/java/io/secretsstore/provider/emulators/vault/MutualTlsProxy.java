// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.emulators.EmulatorTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS listener that demands a client certificate and passes the decrypted bytes to the
 * emulator's HTTP listener. The shared {@code EmulatorServer} has no client-auth option, so mutual
 * TLS is added in front of it rather than inside it. It presents the shared server certificate, so
 * clients trust it through the same CA file, and trusts only certificates of {@code clientCa}.
 */
final class MutualTlsProxy implements AutoCloseable {
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final SSLServerSocket listener;
  private final InetSocketAddress upstream;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(new NamedThreads("vault-mtls"));
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private MutualTlsProxy(SSLServerSocket listener, InetSocketAddress upstream) {
    this.listener = listener;
    this.upstream = upstream;
  }

  /** Listens on 127.0.0.1 ({@code port} 0 for a free one) and forwards to {@code upstreamHttp}. */
  static MutualTlsProxy start(EmulatorTls tls, X509Certificate clientCa, URI upstreamHttp, int port)
      throws IOException {
    SSLServerSocket listener;
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("vault-client-ca", clientCa);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(tls.keyManagerFactory().getKeyManagers(), trust.getTrustManagers(), null);
      listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot build the mutual TLS context", e);
    }
    listener.setNeedClientAuth(true);
    listener.bind(
        new InetSocketAddress(
            InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}), port),
        128);
    MutualTlsProxy proxy =
        new MutualTlsProxy(
            listener, new InetSocketAddress(upstreamHttp.getHost(), upstreamHttp.getPort()));
    proxy.threads.execute(proxy::acceptLoop);
    return proxy;
  }

  URI url() {
    return URI.create("https://127.0.0.1:" + listener.getLocalPort());
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        open.add(client);
        threads.execute(() -> serve((SSLSocket) client));
      } catch (IOException | RejectedExecutionException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private void serve(SSLSocket client) {
    try (client;
        Socket server = new Socket()) {
      open.add(server);
      client.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
      // Fails here, before any byte reaches the emulator, when the client has no trusted
      // certificate.
      client.startHandshake();
      client.setSoTimeout(0);
      server.connect(upstream, HANDSHAKE_TIMEOUT_MILLIS);
      threads.execute(() -> pump(server, client));
      pump(client, server);
    } catch (IOException | RejectedExecutionException e) {
      // A refused handshake or a peer that went away: the connection just ends.
    } finally {
      open.remove(client);
    }
  }

  /**
   * Copies one direction until it ends, then closes both sockets so the other direction ends too.
   */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // Either side closed.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    open.forEach(MutualTlsProxy::closeQuietly);
    threads.shutdownNow();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing is best effort.
    }
  }
}
