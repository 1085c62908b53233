// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secretsstore.provider.kube.SyncResources;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events (events.k8s.io/v1) about a SecretSync: Normal when its Secret is created or
 * updated, Warning when a sync fails. The note is the condition's message, which names keys and
 * objects, never values. An Event that cannot be written is logged and otherwise ignored: Events
 * are best effort and never fail a sync.
 */
public final class SyncEvents {
  /** The reportingController of every Event. */
  public static final String CONTROLLER = "secrets-store-provider/sync";

  public static final String CREATED = "SecretCreated";
  public static final String UPDATED = "SecretUpdated";
  private static final Logger LOG = LoggerFactory.getLogger(SyncEvents.class);
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

  /** 253 characters less the dot and the 32 of the suffix. */
  private static final int MAX_NAME_PREFIX = 220;

  /** The API server's limit on an Event's note. */
  private static final int MAX_NOTE = 1024;

  private final KubernetesClient client;
  private final String instance;
  private final Clock clock;

  /**
   * @param instance this replica (its pod name), the Event's reportingInstance
   */
  public SyncEvents(KubernetesClient client, String instance, Clock clock) {
    this.client = client;
    this.instance = instance;
    this.clock = clock;
  }

  /** A Normal Event: the Secret was created or updated. */
  public void normal(SecretSyncSpec sync, String reason, String note) {
    emit(sync.namespace(), sync.name(), sync.uid(), "Normal", reason, note);
  }

  /** A Warning Event: a sync failed with this condition reason. */
  public void warning(String namespace, String name, String uid, SyncReason reason, String note) {
    emit(namespace, name, uid, "Warning", reason.text(), note);
  }

  /** The SecretSync's name and a random suffix, within the 253 characters of an object name. */
  static String eventName(String secretSync) {
    String prefix =
        secretSync.length() > MAX_NAME_PREFIX
            ? secretSync.substring(0, MAX_NAME_PREFIX)
            : secretSync;
    return prefix + "." + UUID.randomUUID().toString().replace("-", "");
  }

  private void emit(
      String namespace, String name, String uid, String type, String reason, String note) {
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(eventName(name))
            .endMetadata()
            .withRegarding(
                new ObjectReferenceBuilder()
                    .withApiVersion(SyncResources.apiVersion(SyncResources.SECRET_SYNC))
                    .withKind(SyncResources.SECRET_SYNC.getKind())
                    .withNamespace(namespace)
                    .withName(name)
                    .withUid(uid)
                    .build())
            .withType(type)
            .withReason(reason)
            .withAction("Sync")
            .withNote(note.length() > MAX_NOTE ? note.substring(0, MAX_NOTE) : note)
            .withEventTime(new MicroTime(MICRO_TIME.format(clock.instant())))
            .withReportingController(CONTROLLER)
            .withReportingInstance(instance)
            .build();
    try {
      client.events().v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.atDebug()
          .addKeyValue("secretSync", namespace + "/" + name)
          .addKeyValue("httpCode", e.getCode())
          .log("could not write an Event");
    }
  }
}
