// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parameter and objects parsing with upstream's semantics and messages, and the safety of the YAML
 * reader.
 */
class VaultParametersTest {
  private static Map<String, String> params(String objects, String... extra) {
    Map<String, String> map = new HashMap<>();
    map.put("roleName", "app");
    map.put("objects", objects);
    for (int i = 0; i < extra.length; i += 2) {
      map.put(extra[i], extra[i + 1]);
    }
    return map;
  }

  private static VaultParameters parse(Map<String, String> params) {
    return VaultParameters.parse(params, "/target");
  }

  private static void assertInvalid(Map<String, String> params, String message) {
    assertThatThrownBy(() -> parse(params))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains(message);
            });
  }

  private static final String ONE = "- objectName: a\n  secretPath: secret/data/a\n";

  @Test
  void fields_areReadAsUpstreamReadsThem() {
    VaultParameters p =
        parse(
            params(
                """
        - objectName: "db"
          secretPath: "database/creds/app?x=1"
          secretKey: password
          method: PUT
          secretArgs:
            common_name: example.com
            ttl: 24h
            n: 0x10
            f: 1.5
            ok: true
            none: ~
          filePermission: 0600
          encoding: BASE64
        - objectName: 123
          secretPath: kv1/x
          filePermission: 0o640
        """,
                "vaultAddress",
                "https://vault:8200",
                "vaultNamespace",
                "ns1",
                "vaultAuthMountPath",
                "jwt",
                "audience",
                "custom",
                "kubernetesServiceAccountPath",
                "/ignored",
                "vaultCAPem",
                "ignored"));
    assertThat(p.address()).isEqualTo("https://vault:8200");
    assertThat(p.namespace()).isEqualTo("ns1");
    assertThat(p.authMount()).isEqualTo("jwt");
    assertThat(p.effectiveAudience()).isEqualTo("custom");
    SecretConfig db = p.objects().get(0);
    assertThat(db.filePermission()).isEqualTo(0600);
    assertThat(db.method()).isEqualTo("PUT");
    assertThat(db.secretArgs())
        .containsEntry("n", BigInteger.valueOf(16))
        .containsEntry("f", 1.5)
        .containsEntry("ok", true)
        .containsEntry("none", null)
        .containsEntry("ttl", "24h");
    assertThat(p.objects().get(1).objectName()).isEqualTo("123");
    assertThat(p.objects().get(1).filePermission()).isEqualTo(0640);
    assertThat(p.objects().get(1).secretArgs()).isNull();
  }

  @Test
  void audience_defaultsToVault_andMountToTheFlag() {
    VaultParameters p = parse(params(ONE));
    assertThat(p.effectiveAudience()).isEqualTo("vault");
    assertThat(p.authMount()).isEmpty();
    assertThat(parse(params(ONE, "vaultKubernetesMountPath", "k8s")).authMount()).isEqualTo("k8s");
  }

  @Test
  void upstreamErrorMessages() {
    Map<String, String> noRole = params(ONE);
    noRole.remove("roleName");
    assertInvalid(noRole, "missing 'roleName' in SecretProviderClass definition");
    assertInvalid(
        params(ONE, "vaultKubernetesMountPath", "a", "vaultAuthMountPath", "b"),
        "cannot set both vaultKubernetesMountPath and vaultAuthMountPath");
    assertInvalid(
        params(""), "no secrets configured - the provider will not read any secret material");
    assertInvalid(
        params(
            "- {objectName: a, secretPath: x}\n- {objectName: b, secretPath: x}\n- {objectName: a, secretPath: y}\n"
                + "- {objectName: b, secretPath: y}\n- {objectName: a, secretPath: z}\n"),
        "each `objectName` within a SecretProviderClass must be unique, but the following keys were duplicated: a, b, a");
    assertInvalid(
        params("- {objectName: a, secretPath: x, secretKey: k, encoding: rot13}"),
        "invalid encoding type. Should be utf-8, base64, or hex");
    assertInvalid(params(ONE, "vaultSkipTLSVerify", "yes"), "vaultSkipTLSVerify must be a boolean");
    assertInvalid(
        params("- {objectName: a, secretPath: x, method: 'GET /evil'}"),
        "method must be GET, PUT or POST");
    assertInvalid(
        params("- {objectName: a, secretPath: x, method: CONNECT}"),
        "method must be GET, PUT or POST");
    assertThatThrownBy(() -> VaultParameters.parse(params(ONE), ""))
        .hasMessageContaining("missing target path field");
  }

  @Test
  void encoding_isOnlyCheckedWithASecretKey_asUpstream() {
    assertThat(parse(params("- {objectName: a, secretPath: x, encoding: rot13}")).objects())
        .hasSize(1);
  }

  @Test
  void skipVerify_goParseBool() {
    assertThat(parse(params(ONE, "vaultSkipTLSVerify", "T")).tls().skipVerify()).isTrue();
    assertThat(parse(params(ONE, "vaultSkipTLSVerify", "0")).tls().skipVerify()).isFalse();
  }

  @Test
  void unknownKeyInAnObject_isNamed_notItsValue() {
    assertInvalid(
        params("- {objectName: a, secretPath: x, filePermision: 0600}"),
        "unknown key \"filePermision\"");
  }

  @Test
  void filePermission_mustBeAYamlIntegerWithin0777() {
    assertInvalid(
        params("- {objectName: a, secretPath: x, filePermission: \"0600\"}"),
        "filePermission must be a YAML integer");
    assertInvalid(
        params("- {objectName: a, secretPath: x, filePermission: 4755}"), "filePermission");
    assertInvalid(params("- {objectName: a, secretPath: x, filePermission: -1}"), "filePermission");
    assertThat(
            parse(params("- {objectName: a, secretPath: x, filePermission: 420}"))
                .objects()
                .get(0)
                .filePermission())
        .isEqualTo(0644);
  }

  @Test
  void yaml_isParsedSafely() {
    String canary = "S3CR3T-canary-value";
    assertInvalid(
        params(
            "- !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]"),
        "YAML tag");
    assertInvalid(
        params("- objectName: a\n  objectName: b\n  secretPath: " + canary + "\n"),
        "has the key \"objectName\" twice");
    assertInvalid(
        params("- {objectName: a, secretPath: [unclosed " + canary), "objects is not valid YAML");
    StringBuilder bomb = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
    for (int i = 1; i < 12; i++) {
      bomb.append((char) ('a' + i)).append(": &").append((char) ('a' + i)).append(" [");
      for (int j = 0; j < 9; j++) {
        bomb.append(j == 0 ? "" : ",").append('*').append((char) ('a' + i - 1));
      }
      bomb.append("]\n");
    }
    assertInvalid(
        params("- objectName: x\n  secretPath: y\n  secretArgs:\n" + bomb.toString().indent(4)),
        "objects");
    assertInvalid(params("objectName: a"), "objects must be a YAML list of objects");
    for (Map<String, String> bad :
        List.of(
            params("- {objectName: a, secretPath: " + canary + ", bogus: 1}"),
            params("- objectName: a\n  secretPath: x\n  x: '" + canary))) {
      assertThatThrownBy(() -> parse(bad))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(canary));
    }
  }

  @Test
  void configJson_isUpstreamsStructEncoding() {
    SecretConfig plain =
        parse(params("- {objectName: db-user, secretPath: secret/data/app, secretKey: username}"))
            .objects()
            .get(0);
    assertThat(new String(plain.goJson(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"ObjectName\":\"db-user\",\"SecretPath\":\"secret/data/app\",\"SecretKey\":\"username\",\"Method\":\"\","
                + "\"SecretArgs\":null,\"FilePermission\":0,\"Encoding\":\"\"}");
    SecretConfig args =
        parse(
                params(
                    "- {objectName: cert, secretPath: pki/issue/r, method: PUT, filePermission: 0600,"
                        + " secretArgs: {ttl: 1h, common_name: \"a<b>&c\", alt: [1, 2.50, 1e21, 0.0000001, true]}}"))
            .objects()
            .get(0);
    assertThat(new String(args.goJson(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"ObjectName\":\"cert\",\"SecretPath\":\"pki/issue/r\",\"SecretKey\":\"\",\"Method\":\"PUT\","
                + "\"SecretArgs\":{\"alt\":[1,2.5,1e+21,1e-7,true],\"common_name\":\"a\\u003cb\\u003e\\u0026c\",\"ttl\":\"1h\"},"
                + "\"FilePermission\":384,\"Encoding\":\"\"}");
  }

  @Test
  void request_isBuiltAsUpstreamBuildsIt() {
    SecretConfig config =
        parse(params("- {objectName: a, secretPath: 'secret//data/./my app/?version=3&b=x y&a=1'}"))
            .objects()
            .get(0);
    SecretRequest request = SecretRequest.of(config);
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.pathAndQuery()).isEqualTo("/v1/secret/data/my%20app?a=1&b=x+y&version=3");
    assertThat(request.body()).isNull();
    assertThat(SecretRequest.ensureV1Prefix("v1/x")).isEqualTo("/v1/x");
    assertThat(SecretRequest.ensureV1Prefix("/x")).isEqualTo("/v1/x");
    assertThat(SecretRequest.ensureV1Prefix("/v1/x")).isEqualTo("/v1/x");
    SecretConfig put =
        parse(
                params(
                    "- {objectName: a, secretPath: pki/issue/r, method: PUT, secretArgs: {common_name: a.example}}"))
            .objects()
            .get(0);
    assertThat(SecretRequest.of(put).body()).isEqualTo("{\"common_name\":\"a.example\"}");
    SecretConfig other =
        parse(
                params(
                    "- {objectName: a, secretPath: pki/issue/r, method: PUT, secretArgs: {common_name: b.example}}"))
            .objects()
            .get(0);
    assertThat(SecretRequest.of(put))
        .as("secretArgs are part of the request key")
        .isNotEqualTo(SecretRequest.of(other));
  }

  @Test
  void goFloat_formats() {
    assertThat(GoJsonEncoder.goFloat(100.0)).isEqualTo("100");
    assertThat(GoJsonEncoder.goFloat(0.1)).isEqualTo("0.1");
    assertThat(GoJsonEncoder.goFloat(1e20)).isEqualTo("100000000000000000000");
    assertThat(GoJsonEncoder.goFloat(1e21)).isEqualTo("1e+21");
    assertThat(GoJsonEncoder.goFloat(1.5e-7)).isEqualTo("1.5e-7");
    assertThat(GoJsonEncoder.goFloat(-2.5e-10)).isEqualTo("-2.5e-10");
    assertThat(GoJsonEncoder.goFloat(0.000001)).isEqualTo("0.000001");
  }

  @Test
  void envelope_isReencodedAsApiSecret_numbersKeptAsSent() {
    String body =
        "{\"request_id\":\"r1\",\"lease_id\":\"\",\"renewable\":false,\"lease_duration\":0,"
            + "\"data\":{\"data\":{\"z\":1.50,\"a\":\"<x>\",\"n\":null},\"metadata\":{\"version\":3}},"
            + "\"wrap_info\":null,\"warnings\":null,\"auth\":null,\"mount_type\":\"kv\"}";
    VaultSecret secret = VaultSecret.parse(body.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(new String(secret.goJson(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"request_id\":\"r1\",\"lease_id\":\"\",\"lease_duration\":0,\"renewable\":false,"
                + "\"data\":{\"data\":{\"a\":\"\\u003cx\\u003e\",\"n\":null,\"z\":1.50},\"metadata\":{\"version\":3}},"
                + "\"warnings\":null,\"mount_type\":\"kv\"}");
    SecretConfig key = new SecretConfig("o", "p", "z", "", null, 0, "");
    assertThat(new String(SecretContent.render(secret, key), StandardCharsets.UTF_8))
        .isEqualTo("1.50");
    SecretConfig missing = new SecretConfig("o", "p", "nope", "", null, 0, "");
    assertThatThrownBy(() -> SecretContent.render(secret, missing))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
              assertThat(e.getMessage())
                  .isEqualTo("key \"nope\" does not exist at the secret path");
            });
    assertThat(VaultSecret.parse("{\"errors\":[]}".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void kv1_dataIsTheRoot_andEncodingsDecode() {
    VaultSecret kv1 =
        VaultSecret.parse(
                "{\"lease_duration\":2764800,\"data\":{\"b\":\"aGVsbG8=\",\"h\":\"68656C6C6F\",\"m\":{\"k\":1}}}"
                    .getBytes(StandardCharsets.UTF_8))
            .orElseThrow();
    assertThat(kv1.leased()).as("KV v1's TTL hint is not a lease").isFalse();
    assertThat(SecretContent.render(kv1, new SecretConfig("o", "p", "b", "", null, 0, "base64")))
        .isEqualTo("hello".getBytes());
    assertThat(SecretContent.render(kv1, new SecretConfig("o", "p", "h", "", null, 0, "HEX")))
        .isEqualTo("hello".getBytes());
    assertThat(SecretContent.render(kv1, new SecretConfig("o", "p", "m", "", null, 0, "")))
        .isEqualTo("{\"k\":1}".getBytes());
    assertThatThrownBy(
            () -> SecretContent.render(kv1, new SecretConfig("o", "p", "h", "", null, 0, "base64")))
        .hasMessage("the value of key \"h\" is not valid base64");
  }

  @Test
  void tlsLayers_areAdditive() {
    TlsConfig flags = new TlsConfig("/ca.pem", "", "vault", "", "", true);
    TlsConfig spc = new TlsConfig("", "/cadir", "", "/c.pem", "/k.pem", false);
    TlsConfig merged = flags.overlay(spc);
    assertThat(merged).isEqualTo(new TlsConfig("", "/cadir", "vault", "/c.pem", "/k.pem", true));
    assertThatThrownBy(() -> new TlsConfig("", "", "", "/c.pem", "", false).requireClientPair("x"))
        .hasMessageContaining("both client cert and client key must be provided");
  }
}
