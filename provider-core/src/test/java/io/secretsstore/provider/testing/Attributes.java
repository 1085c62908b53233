// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Builds a MountRequest's attributes JSON the way the driver does: parameters, pod info, tokens.
 */
public final class Attributes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKENS = "csi.storage.k8s.io/serviceAccount.tokens";
  private final Map<String, String> values = new LinkedHashMap<>();

  /**
   * Whether the tokens are the canary ones, which {@link #json} issues to the pod's service account
   * as it is then.
   */
  private boolean canaryTokens;

  private Attributes() {}

  /** The pod attributes and the canary token for the test backend's audience. */
  public static Attributes forPod() {
    Attributes attributes = new Attributes();
    attributes.values.putAll(Canaries.podAttributes());
    attributes.values.put(TOKENS, Canaries.tokensJson(TestBackend.DEFAULT_AUDIENCE));
    attributes.canaryTokens = true;
    return attributes;
  }

  public Attributes with(String key, String value) {
    canaryTokens &= !key.equals(TOKENS);
    values.put(key, value);
    return this;
  }

  public Attributes without(String key) {
    canaryTokens &= !key.equals(TOKENS);
    values.remove(key);
    return this;
  }

  public String json() {
    String namespace = values.get("csi.storage.k8s.io/pod.namespace");
    String serviceAccount = values.get("csi.storage.k8s.io/serviceAccount.name");
    if (canaryTokens && namespace != null && serviceAccount != null) {
      values.put(
          TOKENS, Canaries.tokensJson(TestBackend.DEFAULT_AUDIENCE, namespace, serviceAccount));
    }
    try {
      return JSON.writeValueAsString(values);
    } catch (JacksonException e) {
      throw new IllegalStateException(e);
    }
  }
}
