// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.migrate;

import io.secretsstore.provider.mount.OperatorSetting;
import java.util.List;

/**
 * What the migration check found for one SecretProviderClass.
 *
 * @param source the file it came from
 * @param name {@code namespace/name}, or the file name when the manifest could not be read
 * @param backend the backend that checked it, or empty
 * @param verdict the outcome for the class as a whole
 * @param settings the operator settings it needs, in the order the backend asked for them
 * @param refusal why it is refused (the backend's message), or empty
 * @param objects the outcome per object, empty when the object list could not be split
 */
public record SpcReport(
    String source,
    String name,
    String backend,
    Verdict verdict,
    List<OperatorSetting> settings,
    String refusal,
    List<ObjectReport> objects) {
  public SpcReport {
    settings = List.copyOf(settings);
    objects = List.copyOf(objects);
  }

  /** The outcome of a class or an object. */
  public enum Verdict {
    /** Mounts with the provider settings given (the charts' defaults unless flags were given). */
    MOUNTS_UNCHANGED("mounts unchanged"),
    /** Mounts once the operator changes the settings listed. */
    NEEDS_SETTINGS("needs operator settings"),
    /** Refused whatever the operator sets: the SecretProviderClass must change. */
    REFUSED("refused");

    private final String text;

    Verdict(String text) {
      this.text = text;
    }

    /** How the report prints it. */
    public String text() {
      return text;
    }
  }

  /**
   * One object of the class, checked on its own.
   *
   * @param label where it is in the list, e.g. {@code objects[2]}
   * @param verdict its outcome
   * @param paths the files it mounts (main file of each planned object), when accepted
   * @param settings operator settings it needs
   * @param refusal why it is refused, or empty
   */
  public record ObjectReport(
      String label,
      Verdict verdict,
      List<String> paths,
      List<OperatorSetting> settings,
      String refusal) {
    public ObjectReport {
      paths = List.copyOf(paths);
      settings = List.copyOf(settings);
    }
  }
}
