// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.spi.SecretBackend;
import io.secretsstore.provider.testing.FakeTime;

/**
 * Mount engines on a fake clock with the rotation poller driven by the test, for backends' tests of
 * the engine scenarios (published in core's test-jar).
 */
public final class TestEngines {
  private TestEngines() {}

  /**
   * An engine whose cache ages follow {@code time} and whose poller runs only on {@link
   * Manual#poll()}.
   */
  public static Manual manual(
      SecretBackend backend, EngineSettings settings, FetchEvents events, FakeTime time) {
    return new Manual(new MountEngine(backend, settings, events, time, time, false));
  }

  /** An engine the test steps through poll intervals. */
  public static final class Manual implements AutoCloseable {
    private final MountEngine engine;

    private Manual(MountEngine engine) {
      this.engine = engine;
    }

    public MountResult mount(MountRequestContext request) {
      return engine.mount(request, null);
    }

    /** One pass of the rotation poller; returns the refreshes started. */
    public int poll() {
      return engine.refreshDue();
    }

    /** Background refreshes started and not yet settled. */
    public long refreshesInFlight() {
      return engine.refreshesInFlight();
    }

    @Override
    public void close() {
      engine.close();
    }
  }
}
