// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import java.util.Objects;

/**
 * Why one sync of a SecretSync failed, as shown in its status. The message is read by anyone who
 * can read the SecretSync: it names keys, paths and objects, never values or tokens.
 */
public final class SyncFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final SyncReason reason;
  private final boolean retryable;

  /**
   * @param retryable whether retrying soon can help (a backend outage), as opposed to a spec the
   *     user must fix, which is retried only when the SecretSync or its SecretProviderClass changes
   *     or the poll interval comes round
   */
  public SyncFailure(SyncReason reason, String message, boolean retryable) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryable = retryable;
  }

  /** A failure the user must fix in the SecretSync or SecretProviderClass. */
  public static SyncFailure misconfigured(SyncReason reason, String message) {
    return new SyncFailure(reason, message, false);
  }

  public SyncReason reason() {
    return reason;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The message given to the constructor, which is never null. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }
}
