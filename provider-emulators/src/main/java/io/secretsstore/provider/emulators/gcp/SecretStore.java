// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets, their numbered versions and who may read them. Global secrets are named {@code
 * projects/P/secrets/S}, regional ones {@code projects/P/locations/L/secrets/S}; they are separate
 * secrets, as in Secret Manager. {@code latest} is the newest version, whatever its state.
 */
final class SecretStore {
  private static final Pattern SECRET =
      Pattern.compile("projects/[^/]+(/locations/[^/]+)?/secrets/[^/]+");
  private static final Pattern VERSION =
      Pattern.compile("(" + SECRET.pattern() + ")/versions/([^/]+)");

  /** One stored version; the payload is a secret and never printed. */
  static final class Stored {
    final long number;
    final byte[] payload;
    final Instant created = Instant.now();
    volatile SecretVersion.State state = SecretVersion.State.ENABLED;

    Stored(long number, byte[] payload) {
      this.number = number;
      this.payload = payload;
    }
  }

  /** A version as found, with its full name. */
  record Found(String name, Stored version) {
    SecretVersion metadata() {
      return SecretVersion.newBuilder()
          .setName(name)
          .setState(version.state)
          .setCreateTime(Timestamp.newBuilder().setSeconds(version.created.getEpochSecond()))
          .build();
    }

    ByteString payload() {
      return ByteString.copyFrom(version.payload);
    }
  }

  private final Map<String, List<Stored>> secrets = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> readers = new ConcurrentHashMap<>();

  static void requireSecretName(String secret) {
    if (!SECRET.matcher(secret).matches()) {
      throw new IllegalArgumentException(
          "a secret is named projects/P/secrets/S or projects/P/locations/L/secrets/S");
    }
  }

  /** Adds a version and returns its number (1, 2, ...). */
  long add(String secret, byte[] payload) {
    requireSecretName(secret);
    List<Stored> versions = secrets.computeIfAbsent(secret, s -> new ArrayList<>());
    synchronized (versions) {
      Stored stored = new Stored(versions.size() + 1L, payload.clone());
      versions.add(stored);
      return stored.number;
    }
  }

  void state(String secret, long number, SecretVersion.State state) {
    List<Stored> versions = secrets.get(secret);
    if (versions == null || number < 1 || number > versions.size()) {
      throw new IllegalArgumentException("no such version");
    }
    synchronized (versions) {
      versions.get((int) number - 1).state = state;
    }
  }

  /** Lets a member read every secret whose name starts with one of the prefixes. */
  void grant(String member, String... secretPrefixes) {
    readers
        .computeIfAbsent(member, m -> new CopyOnWriteArraySet<>())
        .addAll(List.of(secretPrefixes));
  }

  private boolean mayRead(String member, String secret) {
    Set<String> prefixes = readers.getOrDefault(member, Set.of());
    return prefixes.stream().anyMatch(secret::startsWith);
  }

  /**
   * A version by name ({@code .../versions/3} or {@code .../versions/latest}) for a reader, with
   * Secret Manager's codes: INVALID_ARGUMENT for a malformed name, PERMISSION_DENIED when the
   * member may not read it (whether or not it exists), NOT_FOUND otherwise.
   */
  Found find(String name, String member) {
    Matcher m = VERSION.matcher(name);
    if (!m.matches()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Invalid resource field value in the request.")
          .asRuntimeException();
    }
    String secret = m.group(1);
    String version = m.group(3);
    if (!mayRead(member, secret)) {
      throw Status.PERMISSION_DENIED
          .withDescription(
              "Permission 'secretmanager.versions.access' denied for resource '"
                  + name
                  + "' (or it may not exist).")
          .asRuntimeException();
    }
    List<Stored> versions = secrets.get(secret);
    if (versions == null || versions.isEmpty()) {
      throw Status.NOT_FOUND
          .withDescription("Secret [" + secret + "] not found or has no versions.")
          .asRuntimeException();
    }
    synchronized (versions) {
      if (version.equals("latest")) {
        Stored latest = versions.get(versions.size() - 1);
        return new Found(secret + "/versions/" + latest.number, latest);
      }
      long number;
      try {
        number = Long.parseLong(version);
      } catch (NumberFormatException e) {
        throw Status.INVALID_ARGUMENT
            .withDescription("Invalid resource field value in the request.")
            .asRuntimeException();
      }
      if (number < 1 || number > versions.size()) {
        throw Status.NOT_FOUND
            .withDescription("Secret Version [" + name + "] not found.")
            .asRuntimeException();
      }
      return new Found(secret + "/versions/" + number, versions.get((int) number - 1));
    }
  }

  /** The payload of an enabled version, or FAILED_PRECONDITION naming its state. */
  Found access(String name, String member) {
    Found found = find(name, member);
    if (found.version().state != SecretVersion.State.ENABLED) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "Secret Version [" + found.name() + "] is in " + found.version().state + " state.")
          .asRuntimeException();
    }
    return found;
  }

  /** Every version of a secret, newest first, for a reader. */
  List<Found> list(String secret, String member) {
    if (!SECRET.matcher(secret).matches()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Invalid resource field value in the request.")
          .asRuntimeException();
    }
    if (!mayRead(member, secret)) {
      throw Status.PERMISSION_DENIED
          .withDescription(
              "Permission 'secretmanager.versions.list' denied for resource '"
                  + secret
                  + "' (or it may not exist).")
          .asRuntimeException();
    }
    List<Stored> versions = secrets.get(secret);
    if (versions == null) {
      throw Status.NOT_FOUND
          .withDescription("Secret [" + secret + "] not found.")
          .asRuntimeException();
    }
    List<Found> found = new ArrayList<>();
    synchronized (versions) {
      for (int i = versions.size() - 1; i >= 0; i--) {
        found.add(new Found(secret + "/versions/" + versions.get(i).number, versions.get(i)));
      }
    }
    return found;
  }
}
