// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test started, closed in the reverse order of starting: a controller or a child process
 * before the mock API server or emulator it talks to, so a server never shuts down under a client
 * that still holds a watch or a connection. Every close runs; failures are thrown together, as one
 * IllegalStateException.
 */
public final class Teardown implements AutoCloseable {
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  /** Registers something just started; returns it. */
  public synchronized <T extends AutoCloseable> T add(T resource) {
    started.push(resource);
    return resource;
  }

  @Override
  public void close() {
    IllegalStateException failure = null;
    while (true) {
      AutoCloseable next;
      synchronized (this) {
        next = started.poll();
      }
      if (next == null) {
        break;
      }
      try {
        next.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("teardown failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
