// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one Kubernetes client of a process, created on first use and closed once at process end.
 * Every part that talks to the API server (backends, the sync controller, the audit key) asks here
 * instead of building its own: each fabric8 client holds its own connection pool and dispatcher
 * threads, and a process that never needs the cluster never loads fabric8 at all.
 */
public final class SharedKubeClient implements Supplier<KubernetesClient>, AutoCloseable {
  /** Null for {@link #none()}: this process has no cluster. */
  private final @Nullable Supplier<KubernetesClient> factory;

  private final boolean owned;
  private @Nullable KubernetesClient client;
  private int created;
  private boolean closed;

  private SharedKubeClient(@Nullable Supplier<KubernetesClient> factory, boolean owned) {
    this.factory = factory;
    this.owned = owned;
  }

  /**
   * The process's client, configured from the environment ({@link KubeClients}) when first asked
   * for.
   */
  public static SharedKubeClient fromEnvironment() {
    return new SharedKubeClient(KubeClients::fromEnvironment, true);
  }

  /**
   * A client built by a factory on first use and closed with this one (tests count what it builds).
   */
  public static SharedKubeClient lazy(Supplier<KubernetesClient> factory) {
    return new SharedKubeClient(factory, true);
  }

  /** A client someone else owns and closes (a test's mock API server client). */
  public static SharedKubeClient of(KubernetesClient client) {
    return new SharedKubeClient(() -> client, false);
  }

  /** No cluster at all (dry runs, tests without one): {@link #available} is false. */
  public static SharedKubeClient none() {
    return new SharedKubeClient(null, false);
  }

  /** Whether this process has a cluster to talk to; asking creates no client. */
  public boolean available() {
    return factory != null;
  }

  /**
   * The client, created now if this is the first call.
   *
   * @throws IllegalStateException after {@link #close}, or when there is no cluster ({@link #none})
   */
  @Override
  public synchronized KubernetesClient get() {
    if (closed) {
      throw new IllegalStateException("the Kubernetes client was closed at process end");
    }
    if (factory == null) {
      throw new IllegalStateException("this process has no Kubernetes cluster (a dry run)");
    }
    KubernetesClient current = client;
    if (current == null) {
      current =
          Objects.requireNonNull(factory.get(), "the Kubernetes client factory returned nothing");
      client = current;
      created++;
    }
    return current;
  }

  /** How many clients were created or adopted: 0 or 1, the property the process relies on. */
  public synchronized int created() {
    return created;
  }

  @Override
  public synchronized void close() {
    closed = true;
    KubernetesClient current = client;
    if (owned && current != null) {
      current.close();
    }
  }
}
