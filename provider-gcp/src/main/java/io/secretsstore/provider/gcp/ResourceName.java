// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code resourceName} in one of upstream's four forms ({@code util/constants.go}): Secret
 * Manager versions, global ({@code projects/P/secrets/S/versions/V}) or regional ({@code
 * projects/P/locations/L/secrets/S/versions/V}), and Parameter Manager versions, which this
 * provider recognises only to reject them (google-cloud-parametermanager is not available here).
 *
 * <p>Unlike upstream the patterns are anchored at the start too: a name with anything before {@code
 * projects/} is "unknown resource type" here, where upstream sent it on to the API.
 *
 * @param name the resource name as written
 * @param location the location of a regional secret, or empty for a global one
 * @param version the version segment: {@code latest}, a number, or an alias
 */
record ResourceName(String name, String location, String version) {
  /** Upstream's limit on the location segment ({@code locationLengthLimit}). */
  static final int MAX_LOCATION = 30;

  private static final Pattern GLOBAL_SECRET =
      Pattern.compile("^projects/([^/]+)/secrets/([^/]+)/versions/([^/]+)$");
  private static final Pattern REGIONAL_SECRET =
      Pattern.compile("^projects/([^/]+)/locations/([^/]+)/secrets/([^/]+)/versions/([^/]+)$");
  private static final Pattern PARAMETER =
      Pattern.compile("^projects/([^/]+)/locations/([^/]+)/parameters/([^/]+)/versions/([^/]+)$");

  /** Locations become part of a host name ({@code secretmanager.L.rep.googleapis.com}). */
  private static final Pattern LOCATION = Pattern.compile("[a-z0-9-]+");

  private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,18}");

  /**
   * Parses a resource name.
   *
   * @throws IllegalArgumentException with upstream's reason ("unknown resource type", "Invalid
   *     location") or why Parameter Manager names are refused
   */
  static ResourceName parse(String name) {
    Matcher global = GLOBAL_SECRET.matcher(name);
    if (global.matches()) {
      return new ResourceName(name, "", global.group(3));
    }
    Matcher regional = REGIONAL_SECRET.matcher(name);
    if (regional.matches()) {
      String location = regional.group(2);
      if (location.length() > MAX_LOCATION) {
        throw new IllegalArgumentException("Invalid location: location length exceeds limit");
      }
      if (!LOCATION.matcher(location).matches()) {
        throw new IllegalArgumentException(
            "Invalid location: use lower-case letters, digits and '-'");
      }
      return new ResourceName(name, location, regional.group(4));
    }
    if (PARAMETER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Parameter Manager versions are not supported by this provider "
              + "(google-cloud-parametermanager is not available); use Secret Manager resource names");
    }
    throw new IllegalArgumentException("unknown resource type");
  }

  /** The location of a regional secret. */
  Optional<String> regionalLocation() {
    return location.isEmpty() ? Optional.empty() : Optional.of(location);
  }

  /**
   * Whether the name pins one numbered version, whose contents never change: such a version is
   * served from the cache on rotation instead of being read again (upstream's #97).
   */
  boolean pinned() {
    return NUMBER.matcher(version).matches();
  }
}
