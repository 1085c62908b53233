// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the CEL expressions of rendered manifests (admission policies, CRD validation rules)
 * with the CEL reference implementation for Java, as the API server would: every variable is
 * dynamic, objects are plain maps and lists, integers are 64-bit.
 */
final class CelRules {
  private static final List<String> VARIABLES =
      List.of("object", "oldObject", "request", "variables", "self");
  private static final Cel CEL;

  static {
    var builder =
        CelFactory.standardCelBuilder().setStandardMacros(CelStandardMacro.STANDARD_MACROS);
    for (String name : VARIABLES) {
      builder.addVar(name, SimpleType.DYN);
    }
    CEL = builder.build();
  }

  private CelRules() {}

  /**
   * The value of an expression given its variables (YAML numbers become longs, as in the API
   * server).
   */
  static Object eval(String expression, Map<String, Object> variables) {
    CelAbstractSyntaxTree ast;
    try {
      ast = CEL.compile(expression).getAst();
    } catch (CelValidationException e) {
      throw new IllegalArgumentException(
          "does not compile: " + expression + "\n" + e.getMessage(), e);
    }
    Map<String, Object> inputs = new LinkedHashMap<>();
    variables.forEach((k, v) -> inputs.put(k, normalise(v)));
    try {
      return CEL.createProgram(ast).eval(inputs);
    } catch (CelEvaluationException e) {
      throw new IllegalStateException(
          "fails to evaluate: " + expression + "\n" + e.getMessage(), e);
    }
  }

  /** A boolean expression's value. */
  static boolean test(String expression, Map<String, Object> variables) {
    Object value = eval(expression, variables);
    if (!(value instanceof Boolean result)) {
      throw new IllegalStateException("not a boolean: " + expression + " = " + value);
    }
    return result;
  }

  private static Object normalise(Object value) {
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, normalise(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(normalise(v)));
      return out;
    }
    return value;
  }
}
