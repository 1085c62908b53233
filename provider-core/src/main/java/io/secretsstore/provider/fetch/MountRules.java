// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.FilePaths;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rules core applies to every backend's plan before fetching, and to what was fetched before it
 * is returned: object count, unique ids, path rules, and the response size. Messages name the
 * object, never the path or contents. Public for the migration check, which applies the plan rules
 * as a mount would.
 */
public final class MountRules {
  private final MountLimits limits;

  public MountRules(MountLimits limits) {
    this.limits = limits;
  }

  /** Checks a plan before any backend call. */
  public void checkPlan(MountPlan<?> plan) {
    List<? extends PlannedObject<?>> objects = plan.objects();
    if (objects.isEmpty()) {
      throw ProviderException.invalidArgument("the SecretProviderClass lists no objects to mount");
    }
    if (objects.size() > limits.maxObjects()) {
      throw ProviderException.invalidArgument(
          "the SecretProviderClass lists "
              + objects.size()
              + " objects; at most "
              + limits.maxObjects()
              + " are allowed");
    }
    Set<String> ids = new HashSet<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      PlannedObject<?> object = objects.get(i);
      String ref = SafeText.element("objects", i, object.id());
      if (object.id().isEmpty() || !ids.add(object.id())) {
        throw ProviderException.invalidArgument(ref + ": object id is empty or used twice");
      }
      Optional<String> violation = FilePaths.providerViolation(object.path());
      if (violation.isPresent()) {
        throw ProviderException.invalidArgument(ref + ": " + violation.get());
      }
      paths.add(object.path());
    }
    FilePaths.firstClash(paths)
        .ifPresent(
            clash -> {
              throw ProviderException.invalidArgument(
                  "the file path of " + describe(objects, clash.path()) + " " + clash.reason());
            });
  }

  /**
   * Checks the fetched objects together and returns the response: valid, unique paths, at least one
   * non-empty version per object, unique version ids, within the size limit.
   */
  MountResult assemble(MountPlan<?> plan, List<ServedObject> served) {
    List<FetchedFile> files = new ArrayList<>();
    Set<String> versionIds = new HashSet<>();
    long total = 0;
    for (int i = 0; i < served.size(); i++) {
      PlannedObject<?> object = plan.objects().get(i);
      FetchedObject result = served.get(i).object();
      String ref = SafeText.element("objects", i, object.id());
      if (result.versions().isEmpty()) {
        throw internal(ref + ": backend returned no object version");
      }
      for (ObjectVersion version : result.versions()) {
        if (version.id().isEmpty()
            || version.version().isEmpty()
            || !versionIds.add(version.id())) {
          throw internal(ref + ": backend returned an empty or duplicate object version");
        }
        total += version.id().length() + version.version().length() + 16L;
      }
      for (FetchedFile file : result.files()) {
        Optional<String> violation = FilePaths.providerViolation(file.path());
        if (violation.isPresent()) {
          throw ProviderException.invalidArgument(ref + ": " + violation.get());
        }
        files.add(file);
        total += file.size() + file.path().length() + 16L;
      }
      if (result.contentBytes() > limits.maxResponseBytes()) {
        throw ProviderException.of(
            ErrorKind.RESOURCE_EXHAUSTED,
            ref
                + " is "
                + result.contentBytes()
                + " bytes; a mount may return at most "
                + limits.maxResponseBytes()
                + " bytes");
      }
    }
    if (total > limits.maxResponseBytes()) {
      throw ProviderException.of(
          ErrorKind.RESOURCE_EXHAUSTED,
          "the mount's files add up to "
              + total
              + " bytes; at most "
              + limits.maxResponseBytes()
              + " bytes are allowed (the driver's gRPC receive limit)");
    }
    FilePaths.firstClash(files.stream().map(FetchedFile::path).toList())
        .ifPresent(
            clash -> {
              throw ProviderException.invalidArgument(
                  "two objects write clashing files: a file path " + clash.reason());
            });
    return new MountResult(served);
  }

  private static String describe(List<? extends PlannedObject<?>> objects, String path) {
    for (int i = 0; i < objects.size(); i++) {
      if (objects.get(i).path().equals(path)) {
        return SafeText.element("objects", i, objects.get(i).id());
      }
    }
    return "an object";
  }

  private static ProviderException internal(String message) {
    return ProviderException.of(ErrorKind.INTERNAL, message);
  }
}
