// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An identity a seed file declared, ready to use from the command line: the {@code serve} flags
 * that point its backend at the emulator, and a pod of that identity with tokens the emulator
 * accepts.
 *
 * @param backend the backend name ({@code serve --backend})
 * @param description who this is in the cloud's terms, e.g. {@code role app}
 * @param serveFlags the backend's own flags (address, CA file, identity mapping)
 * @param namespace the pod's namespace
 * @param serviceAccount the pod's service account
 * @param tokensByAudience service-account tokens minted by the emulator, by audience
 */
public record SeededIdentity(
    String backend,
    String description,
    List<String> serveFlags,
    String namespace,
    String serviceAccount,
    Map<String, String> tokensByAudience) {
  public SeededIdentity {
    Objects.requireNonNull(backend, "backend");
    serveFlags = List.copyOf(serveFlags);
    tokensByAudience = Map.copyOf(tokensByAudience);
  }

  @Override
  public String toString() {
    return "SeededIdentity[backend="
        + backend
        + ", "
        + description
        + ", "
        + namespace
        + "/"
        + serviceAccount
        + ", audiences="
        + tokensByAudience.keySet()
        + "]";
  }
}
