// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The pod a mount is for, from the attributes kubelet adds when the CSIDriver has {@code
 * podInfoOnMount: true}. All four are required: without them no identity can be checked.
 *
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param uid the pod's UID
 * @param serviceAccountName the pod's service account
 */
public record PodIdentity(String namespace, String name, String uid, String serviceAccountName) {
  public static final String NAMESPACE = "csi.storage.k8s.io/pod.namespace";
  public static final String NAME = "csi.storage.k8s.io/pod.name";
  public static final String UID = "csi.storage.k8s.io/pod.uid";
  public static final String SERVICE_ACCOUNT = "csi.storage.k8s.io/serviceAccount.name";

  private static final String LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
  private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern UID_PATTERN = Pattern.compile("[A-Za-z0-9-]{1,64}");

  /** Reads and validates the four pod attributes. */
  static PodIdentity from(Map<String, String> attributes) {
    return new PodIdentity(
        require(attributes, NAMESPACE, DNS_LABEL, 63),
        require(attributes, NAME, DNS_SUBDOMAIN, 253),
        require(attributes, UID, UID_PATTERN, 64),
        require(attributes, SERVICE_ACCOUNT, DNS_SUBDOMAIN, 253));
  }

  private static String require(
      Map<String, String> attributes, String key, Pattern pattern, int max) {
    String value = attributes.get(key);
    if (value == null || value.isEmpty()) {
      throw ProviderException.invalidArgument(
          key + " is missing: the CSIDriver must set podInfoOnMount: true");
    }
    if (value.length() > max || !pattern.matcher(value).matches()) {
      throw ProviderException.invalidArgument(key + " is not a valid Kubernetes name");
    }
    return value;
  }
}
