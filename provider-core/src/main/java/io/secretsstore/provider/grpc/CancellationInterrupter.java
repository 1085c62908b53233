// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.grpc.Context;
import io.grpc.Context.CancellationListener;

/**
 * Interrupts the thread serving a call when the caller cancels it (or its deadline passes), so a
 * mount stops waiting for fetches nobody will read. The interrupt can only land while the call is
 * in progress: closing clears any pending interrupt before the thread serves another call.
 */
final class CancellationInterrupter implements CancellationListener, AutoCloseable {
  private final Context context;
  private final Thread thread;
  private boolean active = true;

  private CancellationInterrupter(Context context, Thread thread) {
    this.context = context;
    this.thread = thread;
  }

  static CancellationInterrupter forCurrentCall() {
    CancellationInterrupter interrupter = new CancellationInterrupter(Context.current(), Thread.currentThread());
    interrupter.context.addListener(interrupter, Runnable::run);
    return interrupter;
  }

  @Override
  public synchronized void cancelled(Context cancelled) {
    if (active) {
      thread.interrupt();
    }
  }

  @Override
  public void close() {
    context.removeListener(this);
    synchronized (this) {
      active = false;
    }
    // Any interrupt we delivered is consumed here, never by the next call on this thread.
    Thread.interrupted();
  }
}
