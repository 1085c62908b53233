// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An immutable HTTP response: status, headers (one value per name) and a whole body. */
public final class EmulatorResponse {
  private static final byte[] NO_BODY = new byte[0];

  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  private EmulatorResponse(int status, Map<String, String> headers, byte[] body) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be 200..599, got " + status);
    }
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** A response without a body. */
  public static EmulatorResponse empty(int status) {
    return new EmulatorResponse(status, Collections.unmodifiableMap(newHeaders()), NO_BODY);
  }

  /** A response with a body of a content type. */
  public static EmulatorResponse bytes(int status, String contentType, byte[] body) {
    return empty(status).withHeader("Content-Type", contentType).withBody(body.clone());
  }

  /** A plain-text UTF-8 response. */
  public static EmulatorResponse text(int status, String text) {
    return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON response from JSON text written by the caller. */
  public static EmulatorResponse jsonText(int status, String json) {
    return bytes(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A JSON response serialized with Jackson from maps, lists, records or a {@code JsonNode}.
   * Strings are refused: JSON text goes through {@link #jsonText}, so it is never quoted by
   * accident.
   */
  public static EmulatorResponse json(int status, Object value) {
    if (value instanceof CharSequence) {
      throw new IllegalArgumentException("pass JSON text to jsonText(), not json()");
    }
    try {
      return bytes(status, "application/json", Json.MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the response as JSON", e);
    }
  }

  /** The same response with a header set (replacing one of the same name, in any case). */
  public EmulatorResponse withHeader(String name, String value) {
    Map<String, String> more = newHeaders();
    more.putAll(headers);
    more.put(name, value);
    return new EmulatorResponse(status, Collections.unmodifiableMap(more), body);
  }

  /** The same response with another status. */
  public EmulatorResponse withStatus(int newStatus) {
    return new EmulatorResponse(newStatus, headers, body);
  }

  private EmulatorResponse withBody(byte[] newBody) {
    return new EmulatorResponse(status, headers, newBody);
  }

  /** The status. */
  public int status() {
    return status;
  }

  /** The headers, looked up without regard to case. */
  public Map<String, String> headers() {
    return headers;
  }

  /** One header, looked up without regard to case. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body's length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  // The server writes the body without copying it.
  byte[] bodyBytes() {
    return body;
  }

  /** Status and size only: bodies may hold secret values. */
  @Override
  public String toString() {
    return "EmulatorResponse[" + status + ", " + body.length + " bytes]";
  }

  private static Map<String, String> newHeaders() {
    return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  }
}
