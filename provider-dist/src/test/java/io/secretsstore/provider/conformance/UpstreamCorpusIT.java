// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.cli.Main;
import io.secretsstore.provider.driver.MountedVersions;
import io.secretsstore.provider.emulators.aws.AwsEmulator;
import io.secretsstore.provider.emulators.azure.AzureEmulator;
import io.secretsstore.provider.emulators.azure.CertificateChain;
import io.secretsstore.provider.emulators.gcp.GcpEmulator;
import io.secretsstore.provider.emulators.vault.VaultEmulator;
import io.secretsstore.provider.emulators.vault.VaultRole;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.testing.ServeProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream-shaped corpus ({@code src/test/resources/upstream-corpus/<cloud>/}, one
 * SecretProviderClass per file, each with its {@code # expect:} line) mounted file by file through
 * a real {@code serve} process and the real {@code mount} command against the cloud's emulator,
 * with the default flags. Each class is checked against what the emulator was seeded with: file
 * paths, bytes, modes, and object versions taken from the emulator's own answers when seeding
 * (never from the provider's code). A class expected to be refused must fail with a message naming
 * its key. Every corpus file must have a check here, so a class added to the corpus cannot go
 * unmounted.
 */
class UpstreamCorpusIT {
  private static final Pattern EXPECT =
      Pattern.compile("^#\\s*expect:\\s*(.*)$", Pattern.MULTILINE);
  private static final int DEFAULT_MODE = 0644;

  @TempDir Path dir;

  /** What one {@code mount} left: its exit code, its output, and the files of the target. */
  record Mounted(int exitCode, String output, Path target, Map<String, String> versions) {
    byte[] bytes(String path) {
      try {
        return Files.readAllBytes(target.resolve(path));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    String text(String path) {
      return new String(bytes(path), StandardCharsets.UTF_8);
    }

    int mode(String path) {
      try {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target.resolve(path));
        int mode = 0;
        for (PosixFilePermission p : permissions) {
          mode |= 1 << (8 - p.ordinal());
        }
        return mode;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * The files written, relative to the target: those of the directory {@code ..data} points to.
     */
    List<String> files() {
      Path data;
      try {
        data = target.resolve("..data").toRealPath();
      } catch (IOException e) {
        return List.of();
      }
      try (Stream<Path> walk = Files.walk(data)) {
        return walk.filter(Files::isRegularFile)
            .map(data::relativize)
            .map(Path::toString)
            .sorted()
            .toList();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    void assertMounted(String... paths) {
      assertThat(exitCode).as(output).isZero();
      assertThat(files()).as(output).containsExactlyInAnyOrder(paths);
    }

    void assertRefused(String named) {
      assertThat(exitCode).as(output).isNotZero();
      assertThat(output).contains("mount failed").contains(named);
    }
  }

  /** Mounts every corpus file of {@code cloud} and runs its check; fails when a file has none. */
  private void mountCorpus(
      ProviderUnderTest provider,
      String cloud,
      Map<String, Consumer<Mounted>> checks,
      String... serveFlags)
      throws Exception {
    Path sockets = Files.createDirectories(dir.resolve("sockets"));
    Path token =
        Files.writeString(
            dir.resolve("token"),
            provider.book.token(provider.emulator, CaseBook.NAMESPACE, CaseBook.SERVICE_ACCOUNT));
    Path nodePublishSecret =
        Files.writeString(
            dir.resolve("node-publish-secret.yaml"),
            """
        apiVersion: v1
        kind: Secret
        metadata:
          name: corpus-creds
          namespace: team-a
        stringData:
          clientid: %s
          clientsecret: %s
        """
                .formatted(SP_CLIENT_ID, SP_SECRET));
    List<Path> files = corpus(cloud);
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    assertThat(checks.keySet())
        .as("every corpus file has a check")
        .containsExactlyInAnyOrderElementsOf(
            files.stream().map(f -> f.getFileName().toString().replace(".yaml", "")).toList());
    try (ServeProcess serve = ServeProcesses.start(provider, sockets, serveFlags)) {
      for (Path file : files) {
        String name = file.getFileName().toString().replace(".yaml", "");
        Path target = dir.resolve("targets").resolve(cloud).resolve(name);
        List<String> args =
            new ArrayList<>(
                List.of(
                    "mount",
                    "--socket",
                    serve.socket().toString(),
                    "--spc",
                    file.toString(),
                    "--target",
                    target.toString(),
                    "--namespace",
                    CaseBook.NAMESPACE,
                    "--service-account",
                    CaseBook.SERVICE_ACCOUNT,
                    "--token",
                    provider.book.audience() + "=" + token));
        if (cloud.equals("azure") && Files.readString(file).contains("nodePublishSecretRef")
            || name.equals("service-principal")) {
          args.addAll(List.of("--node-publish-secret", nodePublishSecret.toString()));
        }
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute(args.toArray(String[]::new));
        Map<String, String> versions = new TreeMap<>();
        MountedVersions.read(target)
            .orElse(List.of())
            .forEach(v -> versions.put(v.id(), v.version()));
        Mounted mounted = new Mounted(code, cloud + "/" + name + ":\n" + out, target, versions);
        String expect = expectation(file);
        if (expect.equals("mounts")) {
          assertThat(code).as(mounted.output()).isZero();
        } else {
          assertThat(code).as(mounted.output()).isNotZero();
        }
        checks.get(name).accept(mounted);
      }
    }
  }

  private static List<Path> corpus(String cloud) throws IOException, URISyntaxException {
    Path root = Path.of(UpstreamCorpusIT.class.getResource("/upstream-corpus/" + cloud).toURI());
    try (Stream<Path> list = Files.list(root)) {
      return list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static String expectation(Path file) throws IOException {
    Matcher matcher = EXPECT.matcher(Files.readString(file));
    assertThat(matcher.find()).as("%s has an # expect: line", file).isTrue();
    return matcher.group(1).trim();
  }

  private static final String SP_CLIENT_ID = "0e0e0000-1111-2222-3333-444455556666";
  private static final String SP_SECRET = "corpus-sp-secret";

  @Test
  void awsCorpus() throws Exception {
    try (ProviderUnderTest provider =
        ProviderUnderTest.start(new AwsCases(), EngineSettings.DEFAULT)) {
      AwsEmulator aws = (AwsEmulator) provider.emulator;
      String region = AwsEmulator.DEFAULT_REGION;
      String json = "{\"username\":\"memeuser\",\"password\":\"hunter2\"}";
      String mySecret = aws.putSecret(region, "conf/MySecret", json);
      String hyphen = aws.putSecret(region, "conf/my-hyphen", "{\"hyphenated-path\":\"hy-value\"}");
      byte[] binary = {0, 1, 2, (byte) 0xff};
      String bin = aws.putSecretBinary(region, "conf/bin", binary);
      aws.putParameter(region, "conf/app/key", "ssm-v1", true);
      aws.putParameter(region, "conf/app/key", "ssm-v2", true);
      String primary =
          aws.putSecretAt(
              "arn:aws:secretsmanager:us-east-1:"
                  + AwsEmulator.ACCOUNT
                  + ":secret:conf/Primary-AbCdEf",
              "primary");
      aws.putSecretAt(
          "arn:aws:secretsmanager:us-east-2:"
              + AwsEmulator.ACCOUNT
              + ":secret:conf/Failover-GhIjKl",
          "failover");

      Map<String, Consumer<Mounted>> checks = new LinkedHashMap<>();
      checks.put(
          "irsa-secret",
          m -> {
            m.assertMounted("conf_MySecret");
            assertThat(m.text("conf_MySecret")).isEqualTo(json);
            assertThat(m.mode("conf_MySecret")).isEqualTo(DEFAULT_MODE);
            assertThat(m.versions()).isEqualTo(Map.of("conf_MySecret", mySecret));
          });
      checks.put(
          "jmespath",
          m -> {
            m.assertMounted("conf_MySecret", "dbusername", "dbpassword");
            assertThat(m.text("dbusername")).isEqualTo("memeuser");
            assertThat(m.text("dbpassword")).isEqualTo("hunter2");
            assertThat(m.versions())
                .containsEntry("dbpassword", mySecret)
                .containsEntry("conf_MySecret", mySecret);
          });
      checks.put(
          "jmespath-hyphenated",
          m -> {
            m.assertMounted("hyphen", "hyphenated");
            assertThat(m.text("hyphenated")).isEqualTo("hy-value");
            assertThat(m.versions()).containsEntry("hyphen", hyphen);
          });
      checks.put(
          "ssm-version-number",
          m -> {
            m.assertMounted("app-key-v1");
            assertThat(m.text("app-key-v1")).isEqualTo("ssm-v1");
            assertThat(m.versions()).isEqualTo(Map.of("app-key-v1", "1"));
          });
      checks.put(
          "ssm-arn",
          m -> {
            m.assertMounted("app-key");
            assertThat(m.text("app-key")).isEqualTo("ssm-v2");
            assertThat(m.versions()).isEqualTo(Map.of("app-key", "2"));
          });
      checks.put(
          "failover",
          m -> {
            m.assertMounted("failover-secret");
            assertThat(m.text("failover-secret")).isEqualTo("primary");
            assertThat(m.versions()).isEqualTo(Map.of("failover-secret", primary));
          });
      checks.put(
          "json-objects",
          m -> {
            m.assertMounted("from-json");
            assertThat(m.text("from-json")).isEqualTo(json);
          });
      checks.put(
          "odd-casing",
          m -> {
            m.assertMounted("cased");
            assertThat(m.text("cased")).isEqualTo(json);
          });
      checks.put(
          "numeric-alias-and-mode",
          m -> {
            m.assertMounted("2024");
            assertThat(m.mode("2024")).isEqualTo(0600);
            assertThat(m.versions()).isEqualTo(Map.of("2024", mySecret));
          });
      checks.put(
          "merge-keys",
          m -> {
            m.assertMounted("conf_MySecret", "binary");
            assertThat(m.bytes("binary")).isEqualTo(binary);
            assertThat(m.mode("binary")).isEqualTo(0440);
            assertThat(m.mode("conf_MySecret")).isEqualTo(0440);
            assertThat(m.versions()).containsEntry("binary", bin);
          });
      checks.put(
          "path-translation-off",
          m -> {
            m.assertMounted("conf/MySecret");
            assertThat(m.text("conf/MySecret")).isEqualTo(json);
          });
      checks.put(
          "traversal-alias",
          m -> m.assertRefused("objects[0]: file path must not start with \"..\""));
      mountCorpus(provider, "aws", checks);
    }
  }

  @Test
  void azureCorpus() throws Exception {
    try (ProviderUnderTest provider =
        ProviderUnderTest.start(new AzureCases(), EngineSettings.DEFAULT)) {
      AzureEmulator azure = (AzureEmulator) provider.emulator;
      String vault = "kv-conf";
      String s1v1 = azure.setSecret(vault, "secret1", "s1-v1");
      String s1v2 = azure.setSecret(vault, "secret1", "s1-v2");
      KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
      rsaGenerator.initialize(2048);
      KeyPair rsa = rsaGenerator.generateKeyPair();
      String rsaVersion = azure.setKey(vault, "key1", rsa.getPublic());
      KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
      ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair ec = ecGenerator.generateKeyPair();
      azure.setKey(vault, "eckey", ec.getPublic());
      CertificateChain pemChain = CertificateChain.generate("pem.example.com", "RSA", 1);
      azure.importCertificate(
          vault, "pemcert", pemChain, pemChain.certificates(), AzureEmulator.PEM);
      CertificateChain ecChain = CertificateChain.generate("pfx.example.com", "EC", 1);
      azure.importCertificate(
          vault, "pfxcert", ecChain, ecChain.certificates(), AzureEmulator.PKCS12);
      byte[] raw = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
      azure.setSecret(vault, "b64", Base64.getEncoder().encodeToString(raw));
      azure.setSecret(vault, "hexsecret", HexFormat.of().formatHex(raw));
      azure.addApplication("tenant-conf", SP_CLIENT_ID, SP_SECRET);
      azure.allow(vault, SP_CLIENT_ID);

      Map<String, Consumer<Mounted>> checks = new LinkedHashMap<>();
      checks.put(
          "workload-identity-secret",
          m -> {
            m.assertMounted("secret1");
            assertThat(m.text("secret1")).isEqualTo("s1-v2");
            assertThat(m.mode("secret1")).isEqualTo(DEFAULT_MODE);
            assertThat(m.versions()).containsValue(s1v2).hasSize(1);
          });
      checks.put(
          "alias-mode",
          m -> {
            m.assertMounted("SECRET_1");
            assertThat(m.mode("SECRET_1")).isEqualTo(0600);
          });
      checks.put(
          "version-history",
          m -> {
            m.assertMounted("secret1/0", "secret1/1");
            assertThat(m.text("secret1/0")).isEqualTo("s1-v2");
            assertThat(m.text("secret1/1")).isEqualTo("s1-v1");
            assertThat(m.versions().values()).containsExactlyInAnyOrder(s1v2, s1v1);
          });
      checks.put(
          "rsa-key",
          m -> {
            m.assertMounted("key1");
            assertThat(m.text("key1")).isEqualTo(pem("PUBLIC KEY", rsa.getPublic().getEncoded()));
            assertThat(m.versions()).containsValue(rsaVersion);
          });
      checks.put(
          "ec-key",
          m -> {
            m.assertMounted("eckey");
            assertThat(m.text("eckey")).isEqualTo(pem("PUBLIC KEY", ec.getPublic().getEncoded()));
          });
      checks.put(
          "cert-leaf",
          m -> {
            m.assertMounted("pemcert");
            assertThat(m.text("pemcert"))
                .isEqualTo(CertificateChain.certificatesPem(List.of(pemChain.leaf())));
          });
      checks.put(
          "pkcs12-as-pem",
          m -> {
            m.assertMounted("pfxcert");
            String text = m.text("pfxcert");
            assertThat(text)
                .startsWith("-----BEGIN PRIVATE KEY-----")
                .endsWith(CertificateChain.certificatesPem(ecChain.certificates()));
            byte[] key =
                Base64.getMimeDecoder()
                    .decode(text.substring(27, text.indexOf("-----END PRIVATE KEY-----")));
            ECPublicKey leafKey = (ECPublicKey) ecChain.leaf().getPublicKey();
            // Upstream's bytes end with the uncompressed public point, which the JDK's own encoding
            // leaves out.
            byte[] point =
                HexFormat.of()
                    .parseHex(
                        "04"
                            + hex32(leafKey.getW().getAffineX())
                            + hex32(leafKey.getW().getAffineY()));
            assertThat(HexFormat.of().formatHex(key))
                .endsWith(HexFormat.of().formatHex(point))
                .contains(hex32(((ECPrivateKey) ecChain.key()).getS()));
          });
      checks.put(
          "pfx-base64",
          m -> {
            m.assertMounted("cert.pfx");
            try {
              KeyStore store = KeyStore.getInstance("PKCS12");
              store.load(new ByteArrayInputStream(m.bytes("cert.pfx")), new char[0]);
              assertThat(store.size()).isPositive();
            } catch (Exception e) {
              throw new AssertionError("cert.pfx is not the PKCS#12 file", e);
            }
          });
      checks.put(
          "encodings",
          m -> {
            m.assertMounted("b64", "hexsecret");
            assertThat(m.bytes("b64")).isEqualTo(raw);
            assertThat(m.bytes("hexsecret")).isEqualTo(raw);
          });
      checks.put(
          "merge-keys",
          m -> {
            m.assertMounted("merged");
            assertThat(m.text("merged")).isEqualTo("s1-v2");
            assertThat(m.mode("merged")).isEqualTo(0640);
          });
      checks.put(
          "service-principal",
          m -> {
            m.assertMounted("secret1");
            assertThat(m.text("secret1")).isEqualTo("s1-v2");
          });
      checks.put("managed-identity", m -> m.assertRefused("useVMManagedIdentity"));
      checks.put("odd-casing", m -> m.assertRefused("did you mean objectAlias?"));
      mountCorpus(provider, "azure", checks);
    }
  }

  @Test
  void gcpCorpus() throws Exception {
    try (ProviderUnderTest provider =
        ProviderUnderTest.start(new GcpCases(), EngineSettings.DEFAULT)) {
      GcpEmulator gcp = (GcpEmulator) provider.emulator;
      String project = "projects/" + GcpEmulator.PROJECT;
      long db1 = gcp.addVersion(project + "/secrets/conf-db", "db-v1");
      long db2 = gcp.addVersion(project + "/secrets/conf-db", "db-v2");
      gcp.addVersion(project + "/secrets/conf-json", "{\"user\":\"u-json\",\"pass\":\"p\"}");
      gcp.addVersion(project + "/secrets/conf-yaml", "user: u\npass: p-yaml\n");
      String regional = project + "/locations/us-central1/secrets/conf-regional";
      long r1 = gcp.addVersion(regional, "regional-v1");
      gcp.addVersion(regional + "-json", "{\"user\":\"r-user\"}");
      gcp.grant(
          GcpEmulator.serviceAccountMember(
              "conf-reader@" + GcpEmulator.PROJECT + ".iam.gserviceaccount.com"),
          project + "/locations/us-central1/secrets/conf-");
      String db = project + "/secrets/conf-db/versions/";

      Map<String, Consumer<Mounted>> checks = new LinkedHashMap<>();
      checks.put(
          "latest",
          m -> {
            m.assertMounted("good1.txt");
            assertThat(m.text("good1.txt")).isEqualTo("db-v2");
            assertThat(m.mode("good1.txt")).isEqualTo(DEFAULT_MODE);
            assertThat(m.versions().values()).containsExactly(db + db2);
          });
      checks.put(
          "pinned-version",
          m -> {
            m.assertMounted("db-v1.txt");
            assertThat(m.text("db-v1.txt")).isEqualTo("db-v1");
            assertThat(m.versions().values()).containsExactly(db + db1);
          });
      checks.put(
          "nested-path",
          m -> {
            m.assertMounted("config/db.txt");
            assertThat(m.text("config/db.txt")).isEqualTo("db-v2");
          });
      checks.put(
          "modes",
          m -> {
            m.assertMounted("octal.txt", "decimal.txt");
            assertThat(m.mode("octal.txt")).isEqualTo(0400);
            assertThat(m.mode("decimal.txt")).isEqualTo(0400);
          });
      checks.put(
          "extract-json",
          m -> {
            m.assertMounted("user.txt");
            assertThat(m.text("user.txt")).isEqualTo("u-json");
          });
      checks.put(
          "extract-yaml",
          m -> {
            m.assertMounted("pass.txt");
            assertThat(m.text("pass.txt")).isEqualTo("p-yaml");
          });
      checks.put(
          "regional",
          m -> {
            m.assertMounted("regional.txt");
            assertThat(m.text("regional.txt")).isEqualTo("regional-v1");
            assertThat(m.versions().values()).containsExactly(regional + "/versions/" + r1);
          });
      checks.put(
          "regional-extract",
          m -> {
            m.assertMounted("regional-user.txt");
            assertThat(m.text("regional-user.txt")).isEqualTo("r-user");
          });
      checks.put(
          "merge-keys",
          m -> {
            m.assertMounted("a.txt", "b.txt");
            assertThat(m.text("b.txt")).isEqualTo("db-v2");
          });
      checks.put(
          "numeric-file-name",
          m -> {
            m.assertMounted("2024");
            assertThat(m.text("2024")).isEqualTo("db-v2");
          });
      checks.put("pod-adc-explicit", m -> m.assertMounted("explicit.txt"));
      checks.put("provider-adc", m -> m.assertRefused("auth"));
      mountCorpus(provider, "gcp", checks);
    }
  }

  @Test
  void vaultCorpus() throws Exception {
    try (ProviderUnderTest provider =
        ProviderUnderTest.start(new VaultCases(), EngineSettings.DEFAULT)) {
      VaultEmulator vault = (VaultEmulator) provider.emulator;
      vault.putKv2("", "secret", "conf/db", Map.of("username", "vault-user", "password", "pw-v1"));
      vault.putKv2("", "secret", "conf/db", Map.of("username", "vault-user", "password", "pw-v2"));
      byte[] raw = {0, 1, 2, (byte) 0xff};
      vault.putKv2(
          "", "secret", "conf/blob", Map.of("b64", Base64.getEncoder().encodeToString(raw)));
      vault.putKv2("", "secret", "conf/numbers", Map.of("0755", "seven-five-five"));
      vault.putKv1("", "kv1", "conf/legacy", Map.of("token", "legacy-token"));
      vault.enablePki("", "pki", "web", Duration.ofHours(24));
      for (String[] role : new String[][] {{"app-kv1", "kv1/"}, {"app-pki", "pki/"}}) {
        vault.addRole(
            "",
            VaultEmulator.DEFAULT_AUTH_MOUNT,
            new VaultRole(
                role[0],
                List.of(CaseBook.SERVICE_ACCOUNT),
                List.of(CaseBook.NAMESPACE),
                "vault",
                List.of(role[1]),
                Duration.ofHours(1)));
      }

      Map<String, Consumer<Mounted>> checks = new LinkedHashMap<>();
      checks.put(
          "kv2-key",
          m -> {
            m.assertMounted("db-password");
            assertThat(m.text("db-password")).isEqualTo("pw-v2");
            assertThat(m.mode("db-password")).isEqualTo(DEFAULT_MODE);
            assertThat(m.versions())
                .containsEntry(
                    "db-password",
                    vaultVersion("db-password", "secret/data/conf/db", "password", "pw-v2"));
          });
      checks.put(
          "kv2-whole",
          m -> {
            m.assertMounted("db.json");
            assertThat(m.text("db.json"))
                .contains("\"data\"")
                .contains("vault-user")
                .contains("pw-v2");
          });
      checks.put(
          "kv2-version",
          m -> {
            m.assertMounted("db-v1");
            assertThat(m.text("db-v1")).isEqualTo("pw-v1");
          });
      checks.put(
          "kv1",
          m -> {
            m.assertMounted("legacy");
            assertThat(m.text("legacy")).isEqualTo("legacy-token");
            assertThat(m.versions())
                .containsEntry(
                    "legacy", vaultVersion("legacy", "kv1/conf/legacy", "token", "legacy-token"));
          });
      checks.put(
          "encoding-mode",
          m -> {
            m.assertMounted("blob");
            assertThat(m.bytes("blob")).isEqualTo(raw);
            assertThat(m.mode("blob")).isEqualTo(0600);
          });
      checks.put(
          "auth-mount",
          m -> {
            m.assertMounted("user");
            assertThat(m.text("user")).isEqualTo("vault-user");
          });
      checks.put(
          "auth-mount-path",
          m -> {
            m.assertMounted("user");
            assertThat(m.text("user")).isEqualTo("vault-user");
          });
      checks.put(
          "merge-keys",
          m -> {
            m.assertMounted("u", "p");
            assertThat(m.text("u")).isEqualTo("vault-user");
            assertThat(m.text("p")).isEqualTo("pw-v2");
            // Versions bind config and content: the merged entry's config is the one hashed.
            assertThat(m.versions())
                .containsEntry(
                    "u", vaultVersion("u", "secret/data/conf/db", "username", "vault-user"))
                .containsEntry("p", vaultVersion("p", "secret/data/conf/db", "password", "pw-v2"));
          });
      checks.put(
          "pki-secretargs",
          m -> {
            m.assertMounted("cert.pem");
            assertThat(m.text("cert.pem")).startsWith("-----BEGIN CERTIFICATE-----");
          });
      checks.put(
          "block-string-numbers",
          m -> {
            m.assertMounted("2024");
            assertThat(m.text("2024")).isEqualTo("seven-five-five");
          });
      checks.put("skip-tls-verify", m -> m.assertRefused("vaultSkipTLSVerify"));
      checks.put("tls-ca-file", m -> m.assertRefused("vaultCACertPath"));
      mountCorpus(provider, "vault", checks);
    }
  }

  /**
   * Upstream's object version, computed here rather than by the backend: base64url of HMAC-SHA256
   * over Go's JSON of its config.Secret struct (field names as declared, no tags) followed by the
   * content, keyed with the 32 zero bytes VaultCases writes to the key file.
   */
  private static String vaultVersion(
      String objectName, String secretPath, String secretKey, String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      mac.update(
          ("{\"ObjectName\":\""
                  + objectName
                  + "\",\"SecretPath\":\""
                  + secretPath
                  + "\",\"SecretKey\":\""
                  + secretKey
                  + "\",\"Method\":\"\",\"SecretArgs\":null,\"FilePermission\":0,\"Encoding\":\"\"}")
              .getBytes(StandardCharsets.UTF_8));
      mac.update(content.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().encodeToString(mac.doFinal());
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static String hex32(java.math.BigInteger value) {
    String hex = value.toString(16);
    return "0".repeat(Math.max(0, 64 - hex.length())) + hex;
  }
}
