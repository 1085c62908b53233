// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import java.util.List;

/**
 * Values the checks plant in requests so that an echo in a status message, error code or the report
 * is never a coincidence: a JWT-shaped token of a foreign audience, and a nodePublishSecretRef
 * value.
 */
final class PlantedValues {
  /** A token for {@link #FOREIGN_AUDIENCE}: unsigned, so no backend accepts it. */
  static final String TOKEN =
      "eyJhbGciOiJub25lIn0.eyJzdWIiOiJjb25mb3JtYW5jZS1jYW5hcnkifQ.Y29uZm9ybWFuY2UtY2FuYXJ5LXNpZw";

  static final String FOREIGN_AUDIENCE = "conformance.invalid/other-audience";
  static final String SECRET_VALUE = "conformance-canary-S3CR3T-value";
  static final String SECRET_KEY = "conformance-canary-key";

  private PlantedValues() {}

  static List<String> all() {
    return List.of(TOKEN, SECRET_VALUE);
  }
}
