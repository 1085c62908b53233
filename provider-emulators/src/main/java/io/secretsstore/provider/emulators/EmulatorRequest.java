// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One HTTP request as a handler sees it: method, absolute URI, headers, the whole body, and what
 * routing found (operation, path variables). Immutable.
 */
public final class EmulatorRequest {
  private final String method;
  private final URI uri;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final String operation;
  private final Map<String, String> pathParams;

  private EmulatorRequest(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte[] body,
      String operation,
      Map<String, String> pathParams) {
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
    this.operation = operation;
    this.pathParams = pathParams;
  }

  /**
   * A request, e.g. to test a handler without a server.
   *
   * @param uri absolute: {@code http://127.0.0.1:8200/v1/secret/data/db?version=2}
   */
  public static EmulatorRequest of(
      String method, URI uri, Map<String, List<String>> headers, byte[] body) {
    return received(method, uri, headers, body.clone());
  }

  /** A request that owns {@code body}: the server's path, which does not copy it again. */
  static EmulatorRequest received(
      String method, URI uri, Map<String, List<String>> headers, byte[] body) {
    if (!uri.isAbsolute() || uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
      throw new IllegalArgumentException("the request URI must be absolute with a path: " + uri);
    }
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (name, values) -> copy.merge(name, List.copyOf(values), EmulatorRequest::concat));
    return new EmulatorRequest(
        method.toUpperCase(Locale.ROOT),
        uri,
        Collections.unmodifiableMap(copy),
        body,
        CallCounter.UNMATCHED,
        Map.of());
  }

  /** The same request as routed to an operation with its path variables. */
  EmulatorRequest routed(String routedOperation, Map<String, String> params) {
    return new EmulatorRequest(method, uri, headers, body, routedOperation, params);
  }

  /** The method, upper case. */
  public String method() {
    return method;
  }

  /**
   * The absolute URI the client used (scheme and authority from the connection and {@code Host}).
   */
  public URI uri() {
    return uri;
  }

  /** Scheme and authority, e.g. {@code https://127.0.0.1:8443}, for links and bearer challenges. */
  public URI baseUri() {
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
  }

  /** Whether the request came over HTTPS. */
  public boolean secure() {
    return "https".equalsIgnoreCase(uri.getScheme());
  }

  /** The decoded path. */
  public String path() {
    return uri.getPath();
  }

  /** A variable of the route's path pattern, e.g. {@code name} in {@code /secrets/{name}}. */
  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "the route has no path variable " + name + "; it has " + pathParams.keySet());
    }
    return value;
  }

  /** Every path variable. */
  public Map<String, String> pathParams() {
    return pathParams;
  }

  /** The query parameters, decoded, in order. */
  public Map<String, List<String>> query() {
    return UrlEncoded.parse(uri.getRawQuery());
  }

  /** The first value of a query parameter. */
  public Optional<String> queryParam(String name) {
    return first(query().get(name));
  }

  /** Every header, names compared without regard to case. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header. */
  public Optional<String> header(String name) {
    return first(headers.get(name));
  }

  /** Every value of a header. */
  public List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** A copy of the whole body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body parsed as JSON; malformed JSON answers 400 without echoing the body. */
  public JsonNode json() {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new EmulatorError(400, "the request body is empty, JSON was expected");
      }
      return node;
    } catch (IOException e) {
      throw new EmulatorError(400, "the request body is not valid JSON");
    }
  }

  /** The body as an {@code application/x-www-form-urlencoded} form, decoded, in order. */
  public Map<String, List<String>> form() {
    return UrlEncoded.parse(bodyText());
  }

  /** The first value of a form field. */
  public Optional<String> formParam(String name) {
    return first(form().get(name));
  }

  /** The operation routing chose, or {@link CallCounter#UNMATCHED}. */
  public String operation() {
    return operation;
  }

  /** Method, path and operation only: headers and bodies carry credentials and secret values. */
  @Override
  public String toString() {
    return "EmulatorRequest[" + method + " " + uri.getRawPath() + " -> " + operation + "]";
  }

  private static Optional<String> first(List<String> values) {
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
