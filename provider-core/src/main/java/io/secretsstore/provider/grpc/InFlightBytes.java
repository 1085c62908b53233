// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;

/**
 * The heap that Mount requests in progress may hold across all tenants: a request is admitted
 * against it before its bytes are parsed or expanded, and refused with RESOURCE_EXHAUSTED (the
 * driver and kubelet try again) when the budget is spent, instead of allocating towards an
 * OutOfMemoryError that would take the node's provider down for everyone.
 */
public final class InFlightBytes {
  /**
   * The share of the heap that requests in progress may hold; the rest is the cache's and the
   * runtime's.
   */
  static final double HEAP_SHARE = 0.375;

  private final long budget;
  private long reserved;

  /** A budget of {@code budget} bytes. */
  public InFlightBytes(long budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("the in-flight byte budget must be positive");
    }
    this.budget = budget;
  }

  /**
   * The budget for this JVM's heap: {@link #HEAP_SHARE} of its maximum (24 MiB of the launcher's 64
   * MiB).
   */
  public static InFlightBytes forHeap() {
    return new InFlightBytes((long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE));
  }

  /** The budget in bytes. */
  public long budget() {
    return budget;
  }

  /**
   * Reserves {@code bytes} until the returned reservation is released.
   *
   * @throws ProviderException RESOURCE_EXHAUSTED when they do not fit
   */
  public Reservation reserve(long bytes) {
    synchronized (this) {
      if (bytes > budget - reserved) {
        throw ProviderException.of(
            ErrorKind.RESOURCE_EXHAUSTED,
            "the provider is at its limit of request bytes in flight ("
                + (budget >> 20)
                + " MiB across all mounts); the mount will be retried");
      }
      reserved += bytes;
    }
    return new Reservation(bytes);
  }

  /** Bytes reserved now, for tests. */
  synchronized long reserved() {
    return reserved;
  }

  private synchronized void release(long bytes) {
    reserved -= bytes;
  }

  /** Bytes held by one request; release once, when they are garbage. */
  public final class Reservation implements AutoCloseable {
    private long bytes;

    private Reservation(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public void close() {
      long held;
      synchronized (this) {
        held = bytes;
        bytes = 0;
      }
      release(held);
    }
  }
}
