// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static io.secretsstore.provider.azure.AzureTestBed.call;
import static io.secretsstore.provider.azure.AzureTestBed.objects;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.azure.AzureEmulator;
import io.secretsstore.provider.emulators.azure.CertificateChain;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mounts through the real provider stack on a real socket, with the real Azure SDK (Key Vault
 * clients, azure-identity, the JDK HTTP client, the emulator's CA) against the Azure emulator:
 * every object type, format and encoding, certificate chains in order, shuffled and incomplete, RSA
 * and EC keys, version history and both identities.
 */
class AzureMountIT {
  private static AzureTestBed bed;
  private static String passwordVersion;
  private static CertificateChain rsaChain;
  private static CertificateChain ecChain;

  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void startBed() throws Exception {
    bed = new AzureTestBed();
    passwordVersion = bed.azure.setSecret(AzureTestBed.VAULT, "db-password", Canaries.SECRET);
    bed.azure.setSecret(
        AzureTestBed.VAULT,
        "binary-b64",
        Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 0xff}));
    bed.azure.setSecret(AzureTestBed.VAULT, "binary-hex", "0001feFF");
    rsaChain = CertificateChain.generate("rsa.example", "RSA", 1);
    ecChain = CertificateChain.generate("ec.example", "EC", 2);
  }

  @AfterAll
  static void stopBed() throws Exception {
    bed.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    bed.azure.faults().clear();
    bed.closeProviders();
    logs.assertNoCanary(bed.secrets());
  }

  private ProviderFixture provider(AzureSettings settings) throws Exception {
    return bed.provider(settings);
  }

  private ProviderFixture provider() throws Exception {
    return provider(bed.settings());
  }

  private static String text(MountReply reply, int file) {
    return ProviderFixture.text(reply, file);
  }

  private static Map<String, String> paths(MountReply reply) {
    Map<String, String> byPath = new java.util.LinkedHashMap<>();
    for (MountReply.ReturnedFile file : reply.files()) {
      byPath.put(file.path(), new String(file.contents(), StandardCharsets.UTF_8));
    }
    return byPath;
  }

  @Test
  void secret_withWorkloadIdentity_isWrittenUnderItsNameWithTheKeyVaultVersion() throws Exception {
    MountReply reply =
        provider()
            .mount(call(bed.attributes(objects("objectName: db-password\nobjectType: secret"))));
    assertThat(reply.files()).hasSize(1);
    assertThat(reply.files().get(0).path()).isEqualTo("db-password");
    assertThat(reply.files().get(0).mode()).isEqualTo(0644);
    assertThat(text(reply, 0)).isEqualTo(Canaries.SECRET);
    assertThat(reply.versions())
        .containsExactly(new ObjectVersion("secret/db-password", passwordVersion));
  }

  @Test
  void aliasVersionAndFilePermission_areHonoured() throws Exception {
    String older = bed.azure.setSecret(AzureTestBed.VAULT, "rotating", "one");
    bed.azure.setSecret(AzureTestBed.VAULT, "rotating", "two");
    MountReply reply =
        provider()
            .mount(
                call(
                    bed.attributes(
                        objects(
                            "objectName: rotating\nobjectType: secret\nobjectVersion: "
                                + older
                                + "\nobjectAlias: pinned.txt\nfilePermission: 0600"))));
    assertThat(reply.files().get(0).path()).isEqualTo("pinned.txt");
    assertThat(reply.files().get(0).mode()).isEqualTo(0600);
    assertThat(text(reply, 0)).isEqualTo("one");
    assertThat(reply.versions()).containsExactly(new ObjectVersion("secret/rotating", older));
  }

  @Test
  void encodings_base64AndHex_areDecodedBeforeWriting() throws Exception {
    MountReply reply =
        provider()
            .mount(
                call(
                    bed.attributes(
                        objects(
                            "objectName: binary-b64\nobjectType: secret\nobjectEncoding: base64",
                            "objectName: binary-hex\nobjectType: secret\nobjectEncoding: HEX"))));
    assertThat(reply.files().get(0).contents()).containsExactly(0, 1, 2, 0xff);
    assertThat(reply.files().get(1).contents()).containsExactly(0, 1, 0xfe, 0xff);
  }

  @Test
  void pkcs12CertificateSecret_isKeyFirstThenLeafToRoot_evenWhenStoredShuffled() throws Exception {
    List<X509Certificate> certs = ecChain.certificates(); // leaf, int2, int1, root
    bed.azure.importCertificate(
        AzureTestBed.VAULT,
        "shuffled",
        ecChain,
        List.of(certs.get(2), certs.get(0), certs.get(3), certs.get(1)),
        AzureEmulator.PKCS12);
    MountReply reply =
        provider().mount(call(bed.attributes(objects("objectName: shuffled\nobjectType: secret"))));
    String pem = text(reply, 0);
    assertThat(Pem.types(pem))
        .containsExactly("PRIVATE KEY", "CERTIFICATE", "CERTIFICATE", "CERTIFICATE", "CERTIFICATE");
    // The key is written as upstream writes it, with its public point (Pkcs8KeysTest): the same
    // private scalar.
    String keyBody =
        pem.substring(
            pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
            pem.indexOf("-----END PRIVATE KEY-----"));
    java.security.interfaces.ECPrivateKey written =
        (java.security.interfaces.ECPrivateKey)
            KeyFactory.getInstance("EC")
                .generatePrivate(
                    new java.security.spec.PKCS8EncodedKeySpec(
                        Base64.getMimeDecoder().decode(keyBody)));
    assertThat(written.getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) ecChain.key()).getS());
    assertThat(pem).endsWith(CertificateChain.certificatesPem(certs));
  }

  @Test
  void pkcs12WithAnIncompleteChain_keepsTheStoredOrder() throws Exception {
    List<X509Certificate> certs = rsaChain.certificates(); // leaf, intermediate, root
    List<X509Certificate> stored =
        List.of(certs.get(2), certs.get(0)); // root, leaf: the intermediate is missing
    bed.azure.importCertificate(
        AzureTestBed.VAULT, "incomplete", rsaChain, stored, AzureEmulator.PKCS12);
    String pem =
        text(
            provider()
                .mount(call(bed.attributes(objects("objectName: incomplete\nobjectType: secret")))),
            0);
    assertThat(pem).isEqualTo(rsaChain.keyPem() + CertificateChain.certificatesPem(stored));
  }

  @Test
  void pkcs12_withConstructPemChainOff_keepsTheStoredOrder() throws Exception {
    List<X509Certificate> certs = rsaChain.certificates();
    List<X509Certificate> stored = List.of(certs.get(1), certs.get(2), certs.get(0));
    bed.azure.importCertificate(
        AzureTestBed.VAULT, "as-stored", rsaChain, stored, AzureEmulator.PKCS12);
    String pem =
        text(
            provider(bed.settings().withOutput(false, false))
                .mount(call(bed.attributes(objects("objectName: as-stored\nobjectType: secret")))),
            0);
    assertThat(pem).isEqualTo(rsaChain.keyPem() + CertificateChain.certificatesPem(stored));
  }

  @Test
  void pemCertificateSecret_isWrittenAsStored_andSeparateFilesSplitKeyAndCertificates()
      throws Exception {
    List<X509Certificate> certs = rsaChain.certificates();
    bed.azure.importCertificate(AzureTestBed.VAULT, "pem-cert", rsaChain, certs, AzureEmulator.PEM);
    bed.azure.importCertificate(
        AzureTestBed.VAULT, "pfx-cert", rsaChain, certs, AzureEmulator.PKCS12);
    MountReply reply =
        provider(bed.settings().withOutput(true, true))
            .mount(
                call(
                    bed.attributes(
                        objects(
                            "objectName: pem-cert\nobjectType: secret",
                            "objectName: pfx-cert\nobjectType: secret\nobjectAlias: tls"))));
    Map<String, String> files = paths(reply);
    assertThat(files)
        .containsOnlyKeys("pem-cert", "pem-cert.crt", "pem-cert.key", "tls", "tls.crt", "tls.key");
    assertThat(files.get("pem-cert")).isEqualTo(rsaChain.pem(certs));
    assertThat(files.get("pem-cert.key")).isEqualTo(rsaChain.keyPem());
    assertThat(files.get("pem-cert.crt")).isEqualTo(CertificateChain.certificatesPem(certs));
    assertThat(files.get("tls")).isEqualTo(rsaChain.pem(certs));
    assertThat(files.get("tls.crt")).isEqualTo(CertificateChain.certificatesPem(certs));
  }

  @Test
  void pfxFormat_isBase64TextUnlessObjectEncodingBase64() throws Exception {
    String version =
        bed.azure.importCertificate(
            AzureTestBed.VAULT, "pfx-out", rsaChain, rsaChain.certificates(), AzureEmulator.PKCS12);
    MountReply reply =
        provider()
            .mount(
                call(
                    bed.attributes(
                        objects(
                            "objectName: pfx-out\nobjectType: secret\nobjectFormat: PFX\nobjectAlias: as-text",
                            "objectName: pfx-out\nobjectType: secret\nobjectFormat: pfx\nobjectEncoding: base64\nobjectAlias: as-binary"))));
    byte[] binary = reply.files().get(1).contents();
    assertThat(text(reply, 0)).isEqualTo(Base64.getEncoder().encodeToString(binary));
    java.security.KeyStore store =
        java.security.KeyStore.getInstance(
            "PKCS12", new org.bouncycastle.jce.provider.BouncyCastleProvider());
    store.load(new ByteArrayInputStream(binary), new char[0]);
    assertThat(store.size()).isPositive();
    assertThat(reply.versions())
        .containsExactly(
            new ObjectVersion("secret/pfx-out", version),
            new ObjectVersion("secret/pfx-out@as-binary", version));
  }

  @Test
  void keys_areWrittenAsTheirPublicKey_forRsaAndEcCurves() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    PublicKey rsaKey = rsa.generateKeyPair().getPublic();
    bed.azure.setKey(AzureTestBed.VAULT, "rsa-key", rsaKey);
    Map<String, PublicKey> ec = new java.util.LinkedHashMap<>();
    for (String curve : List.of("secp256r1", "secp384r1", "secp521r1")) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      PublicKey key = generator.generateKeyPair().getPublic();
      bed.azure.setKey(AzureTestBed.VAULT, "ec-" + curve, key);
      ec.put(curve, key);
    }
    MountReply reply =
        provider()
            .mount(
                call(
                    bed.attributes(
                        objects(
                            "objectName: rsa-key\nobjectType: key",
                            "objectName: ec-secp256r1\nobjectType: key",
                            "objectName: ec-secp384r1\nobjectType: key",
                            "objectName: ec-secp521r1\nobjectType: key"))));
    assertThat(text(reply, 0)).isEqualTo(Pem.block("PUBLIC KEY", rsaKey.getEncoded()));
    int i = 1;
    for (PublicKey key : ec.values()) {
      String pem = text(reply, i++);
      assertThat(pem).isEqualTo(Pem.block("PUBLIC KEY", key.getEncoded()));
      byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
      assertThat(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)))
          .isEqualTo(key);
    }
    assertThat(reply.versions().get(0).id()).isEqualTo("key/rsa-key");
  }

  @Test
  void cert_isTheLeafCertificateOnly() throws Exception {
    String version =
        bed.azure.importCertificate(
            AzureTestBed.VAULT, "web", ecChain, ecChain.certificates(), AzureEmulator.PEM);
    MountReply reply =
        provider().mount(call(bed.attributes(objects("objectName: web\nobjectType: cert"))));
    String pem = text(reply, 0);
    assertThat(pem).isEqualTo(CertificateChain.certificatesPem(List.of(ecChain.leaf())));
    X509Certificate parsed =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    assertThat(parsed).isEqualTo(ecChain.leaf());
    assertThat(reply.versions()).containsExactly(new ObjectVersion("cert/web", version));
  }

  @Test
  void versionHistory_writesNewestFirst_skipsDisabled_andWritesExactlyN() throws Exception {
    List<String> versions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      versions.add(bed.azure.setSecret(AzureTestBed.VAULT, "history", "v" + i));
    }
    bed.azure.setEnabled(AzureTestBed.VAULT, "secret", "history", versions.get(3), false);
    MountReply reply =
        provider()
            .mount(
                call(
                    bed.attributes(
                        objects(
                            "objectName: history\nobjectType: secret\nobjectVersionHistory: 3"))));
    assertThat(paths(reply))
        .containsExactly(
            Map.entry("history/0", "v4"),
            Map.entry("history/1", "v2"),
            Map.entry("history/2", "v1"));
    assertThat(reply.versions())
        .containsExactly(
            new ObjectVersion("secret/history/0", versions.get(4)),
            new ObjectVersion("secret/history/1", versions.get(2)),
            new ObjectVersion("secret/history/2", versions.get(1)));

    MountReply fromPinned =
        provider()
            .mount(
                call(
                    bed.attributes(
                        objects(
                            "objectName: history\nobjectType: secret\nobjectVersion: "
                                + versions.get(2)
                                + "\nobjectVersionHistory: 10\nobjectAlias: pinned"))));
    assertThat(paths(fromPinned))
        .containsExactly(
            Map.entry("pinned/0", "v2"), Map.entry("pinned/1", "v1"), Map.entry("pinned/2", "v0"));
  }

  @Test
  void servicePrincipal_fromNodePublishSecretRef_withCaseInsensitiveKeys_whenTheOperatorAllowsIt()
      throws Exception {
    String secrets =
        AzureTestBed.json(
            Map.of("ClientID", AzureTestBed.CLIENT_ID, "ClientSecret", Canaries.NODE_PUBLISH));
    MountReply reply =
        provider(bed.settings().withServicePrincipal(true))
            .mount(
                call(
                    bed.attributes(
                        objects("objectName: db-password\nobjectType: secret"), "clientID", null),
                    secrets));
    assertThat(text(reply, 0)).isEqualTo(Canaries.SECRET);
  }
}
