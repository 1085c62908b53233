// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a MountRequest's attributes JSON the way the driver does: parameters, pod info, tokens. */
public final class Attributes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, String> values = new LinkedHashMap<>();

  private Attributes() {}

  /** The pod attributes and the canary token for the test backend's audience. */
  public static Attributes forPod() {
    Attributes attributes = new Attributes();
    attributes.values.putAll(Canaries.podAttributes());
    attributes.values.put("csi.storage.k8s.io/serviceAccount.tokens", Canaries.tokensJson(TestBackend.DEFAULT_AUDIENCE));
    return attributes;
  }

  public Attributes with(String key, String value) {
    values.put(key, value);
    return this;
  }

  public Attributes without(String key) {
    values.remove(key);
    return this;
  }

  public String json() {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
