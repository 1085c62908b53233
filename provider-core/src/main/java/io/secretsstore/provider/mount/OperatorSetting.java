// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.util.Objects;

/**
 * A provider flag, with the chart value that renders it, that decides whether a SecretProviderClass
 * is accepted. A refusal caused by such a setting carries it (see {@link
 * ProviderException#refusedBySetting}), so the pod event names what the operator changes and the
 * migration check can say which setting a SecretProviderClass needs.
 *
 * @param flag the {@code serve} flag, e.g. {@code --azure-enable-managed-identity}
 * @param value the flag value that would accept the request, e.g. {@code true} or a directory;
 *     empty for a flag that takes none
 * @param chartValue the chart and value that set the flag, e.g. {@code
 *     secrets-store-provider-azure: azure.enableManagedIdentity}
 */
public record OperatorSetting(String flag, String value, String chartValue) {
  public OperatorSetting {
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(chartValue, "chartValue");
  }

  /**
   * The flag as one command-line argument: {@code --flag=value}, or the bare flag when it takes no
   * value.
   */
  public String argument() {
    return value.isEmpty() ? flag : flag + "=" + value;
  }

  /** What a refusal tells the operator: the flag and the chart value. */
  public String advice() {
    return "the operator enables it with " + argument() + " (chart value " + chartValue + ")";
  }
}
