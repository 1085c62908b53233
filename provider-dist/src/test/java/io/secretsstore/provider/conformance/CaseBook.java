// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.testing.Canaries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What the checklist needs to know of one backend: its emulator and flags, how its
 * SecretProviderClass names objects, file names and modes, and its backend-specific bad inputs.
 * Adding a backend to the checklist is one subclass of this and one of {@link ChecklistSuite}.
 *
 * <p>Every backend is set up for the canary pod ({@link #NAMESPACE}/{@link #SERVICE_ACCOUNT}), with
 * secrets under {@code conf/} whose values start with {@link Canaries#SECRET}.
 */
abstract class CaseBook {
  static final String NAMESPACE = "team-a";
  static final String SERVICE_ACCOUNT = "app";

  /** A second namespace whose pods the backend must refuse for this role (row 18). */
  static final String OTHER_NAMESPACE = "team-b";

  /**
   * A namespace whose pods (service account {@link #SERVICE_ACCOUNT}) read the same secrets with an
   * identity of their own, where {@link #admitsSecondTenant} says so: the hostile-tenant tests'
   * victim.
   */
  static final String SECOND_TENANT = "team-v";

  /** The backend's name ({@code serve --backend}). */
  abstract String backend();

  /** A new, unstarted emulator of the backend's cloud. */
  abstract CloudEmulator emulator();

  /**
   * Seeds the identity of the canary pod and returns the backend's flags for the started emulator;
   * without {@code trustCa} the flags leave out the emulator's CA (row 30).
   */
  abstract List<String> prepare(
      CloudEmulator emulator, StartedEmulator started, Path work, boolean trustCa)
      throws IOException;

  /** Stores (or rotates) the secret behind object {@code name}. */
  abstract void put(CloudEmulator emulator, String name, String value);

  /** The audience of the pod token the backend uses. */
  abstract String audience();

  /**
   * A real pod token the emulator accepts, for a pod of {@code namespace}/{@code serviceAccount}.
   */
  abstract String token(CloudEmulator emulator, String namespace, String serviceAccount);

  /** SecretProviderClass parameters besides the objects (e.g. {@code roleName}, {@code region}). */
  abstract Map<String, String> parameters();

  /** Whether {@link #prepare} also admits {@link #SECOND_TENANT}'s pods. */
  boolean admitsSecondTenant() {
    return false;
  }

  /** The parameter that lists the objects. */
  String objectsKey() {
    return "objects";
  }

  /**
   * One entry of the objects list (a YAML block sequence item) for the secret {@code name}, mounted
   * as {@code file} (already YAML-quoted, or null for the backend's default) with {@code mode} as
   * written in the SecretProviderClass (null for the default).
   */
  abstract String object(String name, String file, String mode);

  /** The file path an object without an explicit file name is mounted at: by default its name. */
  String defaultPath(String name) {
    return name;
  }

  /**
   * How a mode is written in this backend's objects: by default as is ({@code 0600}), else e.g.
   * {@code "0600"}.
   */
  String mode(String octal) {
    return octal;
  }

  /** The emulator's operation name for reading one object. */
  abstract String readOperation();

  /** How the emulator names the resource of object {@code name}, to fault that object alone. */
  abstract String resource(String name);

  /**
   * Emulator operations that would mean the provider fell back to an identity other than the pod's
   * (row 27); empty when the emulator offers none.
   */
  List<String> fallbackOperations() {
    return List.of();
  }

  /** The emulator's operation name for exchanging the pod token. */
  abstract String loginOperation();

  /**
   * SecretProviderClass parameters that ask for something only the operator may enable (row 16):
   * TLS verification off, an address outside the allow-list, a file of the provider pod, the
   * provider's or the node's identity. Each is tried alone (with its {@link #companions}).
   */
  abstract Map<String, String> operatorOnlyParameters();

  /**
   * Parameters an operator-only parameter needs beside it to take effect (e.g. the cloud that reads
   * a file).
   */
  Map<String, String> companions(String operatorOnlyParameter) {
    return Map.of();
  }

  /**
   * Row 22: objects that ask for a JSON key of a secret that is not JSON (or, for a backend without
   * JSON keys, another decoding the content does not allow), after seeding (or faulting) what is
   * needed. A backend with no such case says why with {@link #notApplicable}.
   */
  abstract String jsonKeyOfNonJson(CloudEmulator emulator);

  /**
   * The largest secret the backend's service stores, in bytes. Row 20 mounts one secret of 5 MiB
   * when the service allows it, and otherwise enough of the largest to pass the driver's limit.
   */
  int largestSecret() {
    return Integer.MAX_VALUE;
  }

  /**
   * Why a row of the checklist does not hold for this backend yet, reported as an aborted test
   * rather than hidden; empty for every row that holds.
   */
  Optional<String> knownGap(int row) {
    return Optional.empty();
  }

  /**
   * Why a row of the checklist cannot apply to this backend (it has no such parameter or feature),
   * reported as an aborted test with the reason; empty for every row that applies.
   */
  Optional<String> notApplicable(int row) {
    return Optional.empty();
  }

  /**
   * For a file name row 8 lists as bad, the relative path this backend mounts it at instead of
   * refusing it, when upstream does the same (the driver never sees the bad name); empty when the
   * backend refuses it.
   */
  Optional<String> mountsFileNameAs(String name) {
    return Optional.empty();
  }

  /**
   * Aborts (reported, not passed) a row that does not hold for this backend yet, or cannot apply to
   * it.
   */
  final void assumeApplies(int row) {
    knownGap(row)
        .ifPresent(why -> Assumptions.abort("known gap of the " + backend() + " backend: " + why));
    notApplicable(row)
        .ifPresent(
            why -> Assumptions.abort("not applicable to the " + backend() + " backend: " + why));
  }

  /** The value of the objects parameter for these entries ({@link #object} items). */
  String objects(String... entries) {
    return String.join("\n", entries);
  }

  /** An object with the defaults of file name and mode. */
  final String object(String name) {
    return object(name, null, null);
  }

  /** A YAML double-quoted scalar of any text, with control characters escaped. */
  static String quoted(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
              } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append('"').toString();
  }

  @Override
  public String toString() {
    return backend();
  }
}
