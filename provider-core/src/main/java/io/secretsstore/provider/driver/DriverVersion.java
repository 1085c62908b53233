// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import java.util.Locale;

/**
 * The driver release whose request shape the emulator reproduces. They differ only on a remount:
 * v1.6 sends the first-mount request again (kubelet republishes), v1.5's rotation reconciler sent a
 * request of its own (no {@code secretProviderClass}, no {@code ephemeral}, {@code secrets} {@code
 * {}} and the mounted object versions).
 */
public enum DriverVersion {
  V1_6("v1.6"),
  V1_5("v1.5");

  private final String label;

  DriverVersion(String label) {
    this.label = label;
  }

  /** Reads {@code v1.6} or {@code v1.5} (the leading {@code v} is optional). */
  public static DriverVersion parse(String text) {
    String normalised = text.trim().toLowerCase(Locale.ROOT);
    for (DriverVersion version : values()) {
      if (version.label.equals(normalised) || version.label.substring(1).equals(normalised)) {
        return version;
      }
    }
    throw new IllegalArgumentException("expected v1.6 or v1.5");
  }

  /**
   * Whether a mount over an existing one is the rotation reconciler's call rather than a republish.
   */
  public boolean hasRotationReconciler() {
    return this == V1_5;
  }

  @Override
  public String toString() {
    return label;
  }
}
