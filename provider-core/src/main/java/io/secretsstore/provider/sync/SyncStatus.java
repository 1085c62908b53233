// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A SecretSync's {@code status} as upstream writes it: conditions {@code SecretCreated} and {@code
 * SecretUpdated}, {@code syncHash} and {@code lastSuccessfulSyncTime}. A condition's {@code
 * lastTransitionTime} moves only when its status does, like every Kubernetes condition.
 */
public final class SyncStatus {
  public static final String CREATED = "SecretCreated";
  public static final String UPDATED = "SecretUpdated";

  private final Map<String, Object> status;

  private SyncStatus(Map<String, Object> status) {
    this.status = status;
  }

  /** Reads {@code status} of a SecretSync (absent: empty). */
  public static SyncStatus of(Object status) {
    return new SyncStatus(new LinkedHashMap<>(SecretSyncSpec.map(status)));
  }

  /** The last hash written, or empty. */
  public String syncHash() {
    return Objects.toString(status.get("syncHash"), "");
  }

  /** Whether any condition is False: a failed sync is retried even when the hash is unchanged. */
  public boolean hasFailure() {
    return conditions().stream().anyMatch(c -> "False".equals(c.get("status"))
        && !SyncReason.NO_UPDATES_ATTEMPTED_YET.text().equals(c.get("reason")));
  }

  /** The condition of a type, or an empty map. */
  public Map<String, Object> condition(String type) {
    return conditions().stream().filter(c -> type.equals(c.get("type"))).findFirst().orElse(Map.of());
  }

  /** Whether the Secret was created by an earlier sync. */
  public boolean created() {
    return "True".equals(condition(CREATED).get("status"));
  }

  /** The status after a successful write. */
  public SyncStatus succeeded(boolean created, String hash, SyncStatus.Clocked at) {
    Map<String, Object> next = new LinkedHashMap<>(status);
    List<Map<String, Object>> conditions = new ArrayList<>(conditions());
    if (created) {
      put(conditions, CREATED, true, SyncReason.CREATE_SUCCESSFUL, "the Secret was created", at);
      put(conditions, UPDATED, false, SyncReason.NO_UPDATES_ATTEMPTED_YET, "the Secret was not updated yet", at);
    } else {
      if (!created()) {
        put(conditions, CREATED, true, SyncReason.CREATE_SUCCESSFUL, "the Secret was created", at);
      }
      put(conditions, UPDATED, true, SyncReason.UPDATE_SUCCESSFUL, "the Secret is up to date", at);
    }
    next.put("conditions", conditions);
    next.put("syncHash", hash);
    next.put("lastSuccessfulSyncTime", at.time().toString());
    return new SyncStatus(next);
  }

  /** The status after a failed sync: the create condition until a Secret exists, then the update one. */
  public SyncStatus failed(SyncReason reason, String message, SyncStatus.Clocked at) {
    Map<String, Object> next = new LinkedHashMap<>(status);
    List<Map<String, Object>> conditions = new ArrayList<>(conditions());
    put(conditions, created() ? UPDATED : CREATED, false, reason, message, at);
    next.put("conditions", conditions);
    return new SyncStatus(next);
  }

  /** The status as a map for the API. */
  public Map<String, Object> asMap() {
    return status;
  }

  /** When and for which generation a condition is written. */
  public record Clocked(Instant time, long generation) {}

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> conditions() {
    Object value = status.get("conditions");
    List<Map<String, Object>> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> map) {
          out.add((Map<String, Object>) map);
        }
      }
    }
    return out;
  }

  private static void put(List<Map<String, Object>> conditions, String type, boolean ok, SyncReason reason,
      String message, Clocked at) {
    String status = ok ? "True" : "False";
    String transition = at.time().toString();
    for (int i = 0; i < conditions.size(); i++) {
      Map<String, Object> old = conditions.get(i);
      if (type.equals(old.get("type"))) {
        if (status.equals(old.get("status")) && old.get("lastTransitionTime") != null) {
          transition = String.valueOf(old.get("lastTransitionTime"));
        }
        conditions.set(i, condition(type, status, reason, message, transition, at.generation()));
        return;
      }
    }
    conditions.add(condition(type, status, reason, message, transition, at.generation()));
  }

  private static Map<String, Object> condition(String type, String status, SyncReason reason, String message,
      String transition, long generation) {
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", type);
    condition.put("status", status);
    condition.put("observedGeneration", generation);
    condition.put("lastTransitionTime", transition);
    condition.put("reason", reason.text());
    condition.put("message", message);
    return condition;
  }
}
