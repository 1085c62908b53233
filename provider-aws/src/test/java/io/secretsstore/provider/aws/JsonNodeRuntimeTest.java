// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.burt.jmespath.JmesPathType;
import io.secretsstore.provider.json.JsonMappers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * How the JMESPath runtime maps each Jackson 3 node: type, truth, numbers, text, members and new
 * values, first through the adapter itself and then through expressions over a parsed secret.
 */
class JsonNodeRuntimeTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final JsonNodeRuntime runtime = new JsonNodeRuntime();

  private static JsonNode json(String text) {
    return JsonMappers.READER.readTree(text);
  }

  @Test
  void everyNodeType_hasItsJmesPathType() {
    JsonNode document =
        json(
            "{\"n\":null,\"t\":true,\"f\":false,\"i\":7,\"l\":9000000000,"
                + "\"b\":123456789012345678901234567890,\"d\":1.5,\"s\":\"x\",\"a\":[],\"o\":{}}");
    Map<String, JmesPathType> expected = new LinkedHashMap<>();
    expected.put("n", JmesPathType.NULL);
    expected.put("t", JmesPathType.BOOLEAN);
    expected.put("f", JmesPathType.BOOLEAN);
    expected.put("i", JmesPathType.NUMBER);
    expected.put("l", JmesPathType.NUMBER);
    expected.put("b", JmesPathType.NUMBER);
    expected.put("d", JmesPathType.NUMBER);
    expected.put("s", JmesPathType.STRING);
    expected.put("a", JmesPathType.ARRAY);
    expected.put("o", JmesPathType.OBJECT);
    expected.forEach(
        (name, type) -> assertThat(runtime.typeOf(document.get(name))).as(name).isEqualTo(type));
    assertThat(runtime.typeOf(document.path("absent")))
        .as("a missing node is null")
        .isEqualTo(JmesPathType.NULL);
  }

  @Test
  void binaryAndPojoNodes_neverComeFromJson_andAreRefused() {
    assertThatThrownBy(() -> runtime.typeOf(NODES.binaryNode(new byte[] {1})))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not a JSON value: BINARY");
    assertThatThrownBy(() -> runtime.isTruthy(NODES.pojoNode(new Object())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not a JSON value: POJO");
  }

  @Test
  void truth_followsJmesPath_emptyIsFalse_zeroIsTrue() {
    assertThat(runtime.isTruthy(json("null"))).isFalse();
    assertThat(runtime.isTruthy(json("{}").path("absent"))).isFalse();
    assertThat(runtime.isTruthy(json("true"))).isTrue();
    assertThat(runtime.isTruthy(json("false"))).isFalse();
    assertThat(runtime.isTruthy(json("0"))).isTrue();
    assertThat(runtime.isTruthy(json("0.0"))).isTrue();
    assertThat(runtime.isTruthy(json("\"\""))).isFalse();
    assertThat(runtime.isTruthy(json("\" \""))).isTrue();
    assertThat(runtime.isTruthy(json("[]"))).isFalse();
    assertThat(runtime.isTruthy(json("[null]"))).isTrue();
    assertThat(runtime.isTruthy(json("{}"))).isFalse();
    assertThat(runtime.isTruthy(json("{\"a\":null}"))).isTrue();
  }

  @Test
  void numbers_keepTheirJavaTypes_integralVersusFloat() {
    assertThat(runtime.toNumber(json("7"))).isEqualTo(7);
    assertThat(runtime.toNumber(json("9000000000"))).isEqualTo(9_000_000_000L);
    assertThat(runtime.toNumber(json("123456789012345678901234567890")))
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(runtime.toNumber(json("1.5"))).isEqualTo(1.5d);
    assertThat(runtime.toNumber(json("1e2"))).as("an exponent makes a float").isEqualTo(100.0d);
    assertThat(runtime.toNumber(json("\"7\""))).as("not a number").isNull();
    assertThat(runtime.toString(runtime.createNumber(5L))).isEqualTo("5");
    assertThat(runtime.toString(runtime.createNumber(5.0d))).isEqualTo("5.0");
  }

  @Test
  void text_isAStringsOwn_andCompactJsonInDocumentOrderForTheRest() {
    assertThat(runtime.toString(json("\"a\\\"b\""))).isEqualTo("a\"b");
    assertThat(
            runtime.toString(
                json(" { \"z\" : [1, 2.5, \"\\u00e9/\"], \"a\" : {\"y\":null,\"b\":true} }")))
        .as("members in document order, not sorted")
        .isEqualTo("{\"z\":[1,2.5,\"é/\"],\"a\":{\"y\":null,\"b\":true}}");
    assertThat(runtime.toString(json("1e2"))).isEqualTo("100.0");
    assertThat(runtime.toString(json("1e-5"))).isEqualTo("1.0E-5");
    assertThat(runtime.toString(json("null"))).isEqualTo("null");
  }

  @Test
  void members_presentAbsentAndOfNonObjects() {
    JsonNode object = json("{\"b\":1,\"a\":{\"c\":[2]}}");
    assertThat(runtime.getProperty(object, runtime.createString("b"))).isEqualTo(json("1"));
    assertThat(runtime.getProperty(object, runtime.createString("absent")).isNull()).isTrue();
    assertThat(runtime.getProperty(json("[1]"), runtime.createString("b")).isNull()).isTrue();
    assertThat(runtime.getProperty(json("\"b\""), runtime.createString("b")).isNull()).isTrue();
    assertThat(runtime.getProperty(object, json("1")).isNull()).as("a non-string name").isTrue();
    assertThat(runtime.getPropertyNames(object))
        .containsExactly(runtime.createString("b"), runtime.createString("a"));
    assertThat(runtime.getPropertyNames(json("[1]"))).isEmpty();
  }

  @Test
  void elements_ofArraysObjectsAndScalars() {
    assertThat(runtime.toList(json("[1,[2],{\"a\":3}]")))
        .containsExactly(json("1"), json("[2]"), json("{\"a\":3}"));
    assertThat(runtime.toList(json("{\"b\":1,\"a\":2}"))).containsExactly(json("1"), json("2"));
    assertThat(runtime.toList(json("\"ab\""))).isEmpty();
    assertThat(runtime.toList(json("null"))).isEmpty();
    assertThatThrownBy(() -> runtime.toList(json("[1]")).get(1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void createdValues_keepOrderAndNesting() {
    Map<JsonNode, JsonNode> members = new LinkedHashMap<>();
    members.put(runtime.createString("z"), runtime.createArray(List.of(runtime.createNull())));
    members.put(runtime.createString("a"), runtime.createBoolean(false));
    assertThat(runtime.toString(runtime.createObject(members)))
        .isEqualTo("{\"z\":[null],\"a\":false}");
    assertThat(runtime.typeOf(runtime.createObject(Map.of()))).isEqualTo(JmesPathType.OBJECT);
    assertThat(runtime.parseString("[1, {\"a\": \"b\"}]")).isEqualTo(json("[1,{\"a\":\"b\"}]"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "to_string(nested.list[2][0].deep) => x",
        "nested.missing.deeper => <null>",
        "nested.list[5] => <null>",
        "nested.list[0][0].deep => <null>",
        "to_string(nested.list[*][0].deep) => [\"x\"]",
        "to_string(nested.list[]) => [1,2.5,{\"deep\":\"x\"}]",
        "join(',', [type(n), type(t), type(i), type(d), type(s), type(nested.list), type(nested)]) =>"
            + " null,boolean,number,number,string,array,object",
        "type(absent) => null",
        "to_string(to_number('12')) => 12",
        "to_string(to_number('1.5')) => 1.5",
        "to_string(to_number('1e3')) => 1000",
        "to_string(i == `7.0`) => true",
        "to_string(sort([d, i, `-1`])) => [-1,1.5,7]",
        "to_string(sum([i, d])) => 8.5",
        "to_string(abs(`-3`)) => 3.0",
        "to_string(length(s)) => 3",
        "to_string(keys(@)) => [\"n\",\"t\",\"i\",\"d\",\"s\",\"nested\"]",
        "to_string(`{\"b\":1,\"a\":2}`) => {\"b\":1,\"a\":2}",
        "to_string(nested.list[] | [?@ > `1`]) => [2.5]",
        "to_string(n || t) => true",
        "to_string(!s) => false",
      })
  void expressions_overAParsedSecret(String expression, String expected) {
    JsonNode secret =
        JmesExtractor.parse(
            ("{\"n\":null,\"t\":true,\"i\":7,\"d\":1.5,\"s\":\"abc\","
                    + "\"nested\":{\"list\":[[1],[2.5],[{\"deep\":\"x\"}]]}}")
                .getBytes(StandardCharsets.UTF_8),
            "t");
    JsonNode result =
        new BudgetedJmesRuntime(JmesExtractor.WORK_BUDGET).compile(expression).search(secret);
    assertThat(result.isNull() ? "<null>" : runtime.toString(result)).isEqualTo(expected);
  }
}
