// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which requests an operation answers: a method, a {@linkplain PathPattern path pattern} and
 * optionally a condition on the request (e.g. AWS's {@code X-Amz-Target} header), plus how faults
 * name the resource a call is about. Immutable; the {@code with}-style methods return new routes.
 *
 * <pre>{@code
 * Route.of("GET", "/v1/{mount}/data/{path*}", "vault.kv2.read");
 * Route.of("POST", "/", "aws.GetSecretValue")
 *     .when(r -> r.header("X-Amz-Target").filter("secretsmanager.GetSecretValue"::equals).isPresent())
 *     .resource(r -> r.json().path("SecretId").asText());
 * }</pre>
 */
public final class Route {
  /** A method that matches every method. */
  public static final String ANY_METHOD = "*";

  private static final Pattern TOKEN = Pattern.compile("[A-Z]+|\\*");
  private static final Pattern OPERATION = Pattern.compile("[A-Za-z0-9_.:/-]+");

  private final String method;
  private final PathPattern path;
  private final String operation;
  private final Predicate<EmulatorRequest> condition;
  private final Function<EmulatorRequest, String> resource;

  private Route(
      String method,
      PathPattern path,
      String operation,
      Predicate<EmulatorRequest> condition,
      Function<EmulatorRequest, String> resource) {
    this.method = method;
    this.path = path;
    this.operation = operation;
    this.condition = condition;
    this.resource = resource;
  }

  /**
   * A route with no condition, whose resource is the request's decoded path.
   *
   * @param method an HTTP method such as {@code GET}, or {@link #ANY_METHOD}
   * @param pathPattern e.g. {@code /secrets/{name}/{version*}}: see {@link
   *     EmulatorRequest#pathParam}
   * @param operation the name calls are counted and faults injected under, e.g. {@code
   *     vault.kv2.read}
   */
  public static Route of(String method, String pathPattern, String operation) {
    String m = method.toUpperCase(Locale.ROOT);
    if (!TOKEN.matcher(m).matches()) {
      throw new IllegalArgumentException("not an HTTP method: " + method);
    }
    if (!OPERATION.matcher(operation).matches() || operation.equals(FaultPlan.ANY_OPERATION)) {
      throw new IllegalArgumentException(
          "operation names use letters, digits and _.:/-: " + operation);
    }
    return new Route(
        m, PathPattern.parse(pathPattern), operation, request -> true, EmulatorRequest::path);
  }

  /** The same route, matching only requests that also pass {@code condition}. */
  public Route when(Predicate<EmulatorRequest> condition) {
    Objects.requireNonNull(condition, "condition");
    return new Route(method, path, operation, this.condition.and(condition), resource);
  }

  /**
   * The same route, naming the resource of a call with {@code resource} (used by {@link
   * FaultPlan}).
   */
  public Route resource(Function<EmulatorRequest, String> resource) {
    return new Route(
        method, path, operation, condition, Objects.requireNonNull(resource, "resource"));
  }

  /** The method, upper case, or {@link #ANY_METHOD}. */
  public String method() {
    return method;
  }

  /** The path pattern as written. */
  public String pathPattern() {
    return path.toString();
  }

  /** The operation name. */
  public String operation() {
    return operation;
  }

  boolean methodMatches(String requestMethod) {
    return method.equals(ANY_METHOD) || method.equals(requestMethod);
  }

  /** The path variables, or null when the path does not match. */
  Map<String, String> matchPath(String rawPath) {
    return path.match(rawPath);
  }

  boolean accepts(EmulatorRequest routed) {
    return condition.test(routed);
  }

  String resourceOf(EmulatorRequest routed) {
    return resource.apply(routed);
  }

  @Override
  public String toString() {
    return "Route[" + method + " " + path + " -> " + operation + "]";
  }
}
