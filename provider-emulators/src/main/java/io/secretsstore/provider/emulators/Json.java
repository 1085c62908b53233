// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper of this package; ObjectMapper is thread-safe once configured. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
