// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.spi.FetchedObject;
import java.util.Objects;

/**
 * One object of a successful mount and where its answer came from.
 *
 * @param id the planned object's id
 * @param object what was served
 * @param source the cache, or a backend call (a call of this mount or one it joined)
 */
public record ServedObject(String id, FetchedObject object, Source source) {
  public ServedObject {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(source, "source");
  }

  /** Where an object's answer came from. */
  public enum Source {
    /** A fresh cache entry. */
    CACHE,
    /** A backend call, made for this mount or shared with concurrent ones. */
    BACKEND
  }
}
