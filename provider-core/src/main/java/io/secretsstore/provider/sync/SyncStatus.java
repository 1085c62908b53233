// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A SecretSync's {@code status} as upstream writes it: conditions {@code SecretCreated} and {@code
 * SecretUpdated} with upstream's statuses, reasons and success messages, {@code syncHash} and
 * {@code lastSuccessfulSyncTime}. A condition's {@code lastTransitionTime} moves only when its
 * status does, as the Kubernetes condition helpers do.
 */
public final class SyncStatus {
  public static final String CREATED = "SecretCreated";
  public static final String UPDATED = "SecretUpdated";

  /** Upstream's messages for a success, word for word: alert rules and runbooks match them. */
  static final String CREATED_MESSAGE = "Secret created successfully.";

  static final String UP_TO_DATE_MESSAGE = "Secret contains last observed values.";

  /** The reasons that make upstream sync again although the hash is unchanged. */
  private static final Set<SyncReason> FAILURES =
      EnumSet.of(
          SyncReason.SECRET_PROVIDER_CLASS_MISCONFIGURED,
          SyncReason.INVALID_CLUSTER_SECRET_ANNOTATION,
          SyncReason.INVALID_CLUSTER_SECRET_LABEL,
          SyncReason.PROVIDER_ERROR,
          SyncReason.REMOTE_SECRET_STORE_FETCH_FAILED,
          SyncReason.CONTROLLER_PATCH_ERROR,
          SyncReason.CONTROLLER_SYNC_ERROR);

  private final Map<String, Object> status;

  private SyncStatus(Map<String, Object> status) {
    this.status = status;
  }

  /** Reads {@code status} of a SecretSync (absent: empty). */
  public static SyncStatus of(@Nullable Object status) {
    return new SyncStatus(new LinkedHashMap<>(SecretSyncSpec.map(status)));
  }

  /** The last hash written, or empty. */
  public String syncHash() {
    return Objects.toString(status.get("syncHash"), "");
  }

  /**
   * The condition a sync reports on, as upstream decides it: {@code SecretCreated} until a sync
   * succeeded (no hash yet), then {@code SecretUpdated}.
   */
  public String conditionType() {
    return syncHash().isEmpty() ? CREATED : UPDATED;
  }

  /**
   * Whether a condition carries a failure reason: a failed sync is retried even when the hash is
   * unchanged.
   */
  public boolean hasFailure() {
    return conditions().stream()
        .anyMatch(c -> FAILURES.stream().anyMatch(r -> r.text().equals(c.get("reason"))));
  }

  /** Whether upstream would first write the two Unknown conditions (fewer than two conditions). */
  public boolean needsInitialConditions() {
    return conditions().size() < 2;
  }

  /** The condition of a type, or an empty map. */
  public Map<String, Object> condition(String type) {
    return conditions().stream()
        .filter(c -> type.equals(c.get("type")))
        .findFirst()
        .orElse(Map.of());
  }

  /**
   * The status with upstream's starting conditions: both Unknown, {@code SyncStarting} and {@code
   * NoUpdatesAttemptedYet}.
   */
  public SyncStatus initialized(Clocked at) {
    List<Map<String, Object>> conditions = conditions();
    put(conditions, CREATED, "Unknown", SyncReason.SYNC_STARTING, "", at);
    put(conditions, UPDATED, "Unknown", SyncReason.NO_UPDATES_ATTEMPTED_YET, "", at);
    return with(conditions);
  }

  /**
   * The status after a successful write: on the first, both conditions True ({@code
   * CreateSuccessful}, {@code SecretUpToDate}); later, {@code SecretUpdated} True with {@code
   * SecretUpToDate}.
   */
  public SyncStatus succeeded(String hash, Clocked at) {
    List<Map<String, Object>> conditions = conditions();
    if (CREATED.equals(conditionType())) {
      put(conditions, CREATED, "True", SyncReason.CREATE_SUCCESSFUL, CREATED_MESSAGE, at);
    }
    put(conditions, UPDATED, "True", SyncReason.SECRET_UP_TO_DATE, UP_TO_DATE_MESSAGE, at);
    SyncStatus next = with(conditions);
    next.status.put("syncHash", hash);
    next.status.put("lastSuccessfulSyncTime", at.time().toString());
    return next;
  }

  /**
   * The status after a failed sync: the {@link #conditionType()} condition False with the reason;
   * the hash stays.
   */
  public SyncStatus failed(SyncReason reason, String message, Clocked at) {
    List<Map<String, Object>> conditions = conditions();
    put(conditions, conditionType(), "False", reason, message, at);
    return with(conditions);
  }

  /** The status as a map for the API. */
  public Map<String, Object> asMap() {
    return status;
  }

  /** When and for which generation a condition is written. */
  public record Clocked(Instant time, long generation) {}

  private SyncStatus with(List<Map<String, Object>> conditions) {
    Map<String, Object> next = new LinkedHashMap<>(status);
    next.put("conditions", conditions);
    return new SyncStatus(next);
  }

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

  private static void put(
      List<Map<String, Object>> conditions,
      String type,
      String status,
      SyncReason reason,
      String message,
      Clocked at) {
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

  private static Map<String, Object> condition(
      String type,
      String status,
      SyncReason reason,
      String message,
      String transition,
      long generation) {
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
