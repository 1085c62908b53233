// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the {@code demo} command needs to show one backend against its started emulator: how to
 * point the backend at the emulator, a sample SecretProviderClass, and a pod whose tokens the
 * emulator accepts.
 *
 * @param backend the backend name ({@code serve --backend})
 * @param serveFlags the backend's own flags that point it at the emulator (address, CA file, ...)
 * @param secretProviderClass a SecretProviderClass YAML whose {@code spec.provider} is the backend
 * @param namespace the pod's namespace (the SecretProviderClass's namespace)
 * @param serviceAccount the pod's service account
 * @param tokensByAudience service-account tokens for the pod, minted by the emulator, by audience
 */
public record DemoScenario(
    String backend,
    List<String> serveFlags,
    String secretProviderClass,
    String namespace,
    String serviceAccount,
    Map<String, String> tokensByAudience) {
  public DemoScenario {
    Objects.requireNonNull(backend, "backend");
    serveFlags = List.copyOf(serveFlags);
    Objects.requireNonNull(secretProviderClass, "secretProviderClass");
    tokensByAudience = Map.copyOf(tokensByAudience);
  }

  @Override
  public String toString() {
    return "DemoScenario[backend="
        + backend
        + ", namespace="
        + namespace
        + ", serviceAccount="
        + serviceAccount
        + ", audiences="
        + tokensByAudience.keySet()
        + "]";
  }
}
