// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses rendered objects into the fabric8 model classes of their kind, strictly: the models keep
 * any field they do not know in {@code additionalProperties}, so after parsing every model object
 * in the tree is walked and any such field (a misspelt or misplaced key, which the API server would
 * drop or refuse) is reported with its path.
 */
final class StrictModel {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Stream.of(
              ConfigMap.class,
              Service.class,
              ServiceAccount.class,
              DaemonSet.class,
              Deployment.class,
              ClusterRole.class,
              ClusterRoleBinding.class,
              Role.class,
              RoleBinding.class,
              PodDisruptionBudget.class,
              CustomResourceDefinition.class,
              ValidatingAdmissionPolicy.class,
              ValidatingAdmissionPolicyBinding.class,
              ServiceMonitor.class,
              PodMonitor.class)
          .collect(java.util.stream.Collectors.toMap(HasMetadata::getKind, c -> c));

  private StrictModel() {}

  /**
   * The typed object; fails on an unknown kind, a wrong apiVersion, a wrong type or an unknown
   * field.
   */
  static HasMetadata parse(Manifests.Node document) {
    String kind = document.get("kind").string();
    Class<? extends HasMetadata> type = KINDS.get(kind);
    if (type == null) {
      throw new AssertionError("no model class for kind " + kind + " (add it to StrictModel)");
    }
    String apiVersion = HasMetadata.getApiVersion(type);
    if (!apiVersion.equals(document.get("apiVersion").string())) {
      throw new AssertionError(
          kind
              + " has apiVersion "
              + document.get("apiVersion").string()
              + ", expected "
              + apiVersion);
    }
    HasMetadata parsed = MAPPER.convertValue(document.value(), type);
    List<String> unknown = new ArrayList<>();
    collectUnknown(parsed, kind + "/" + parsed.getMetadata().getName(), unknown);
    if (!unknown.isEmpty()) {
      throw new AssertionError(
          "fields the " + type.getSimpleName() + " model does not know: " + unknown);
    }
    return parsed;
  }

  private static void collectUnknown(Object value, String path, List<String> unknown) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown));
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collectUnknown(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (value == null || !value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object fieldValue;
        try {
          fieldValue = field.get(value);
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
        if (field.getName().equals("additionalProperties")) {
          if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
            extra.keySet().forEach(key -> unknown.add(path + "." + key));
          }
        } else {
          collectUnknown(fieldValue, path + "." + field.getName(), unknown);
        }
      }
    }
  }
}
