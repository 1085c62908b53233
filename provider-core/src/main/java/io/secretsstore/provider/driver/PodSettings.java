// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import java.util.Map;
import java.util.Objects;

/**
 * The pod and volume the emulated mount is for: what kubelet puts in the volume context ({@code
 * podInfoOnMount}) and the pod author's {@code volumeAttributes}.
 *
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param uid the pod's UID
 * @param serviceAccount the pod's service account name
 * @param ephemeral whether the volume is an inline (CSI ephemeral) volume
 * @param volumeAttributes the pod author's extra {@code volumeAttributes}
 */
public record PodSettings(
    String namespace,
    String name,
    String uid,
    String serviceAccount,
    boolean ephemeral,
    Map<String, String> volumeAttributes) {
  public PodSettings {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    volumeAttributes = Map.copyOf(volumeAttributes);
  }
}
