// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.testing.Canaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code migrate-check} command over the real backends: its report per class and per object,
 * the operator settings it finds by retrying with them, and its exit codes. Nothing listens on the
 * addresses the classes name, so a check that contacted a backend would fail.
 */
class MigrateCheckCommandTest {
  @TempDir Path dir;

  private static MigrateCheckRun check(List<String> flags, Path... files) {
    return MigrateCheckRun.of(flags, files);
  }

  private Path spc(String file, String provider, String parameters) throws IOException {
    Path path = dir.resolve(file);
    Files.writeString(
        path,
        """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata:
          name: %s
          namespace: team-a
        spec:
          provider: %s
          parameters:
        %s"""
            .formatted(file.replace(".yaml", ""), provider, parameters.indent(4)));
    return path;
  }

  private Path vault(String file, String extra) throws IOException {
    return spc(
        file,
        "vault",
        """
        roleName: app
        vaultAddress: https://vault.invalid:8200
        %s
        objects: |
          - objectName: db-password
            secretPath: secret/data/db
            secretKey: password
          - objectName: db-user
            secretPath: secret/data/db
            secretKey: username
            filePermission: 0600
        """
            .formatted(extra));
  }

  private Path azure(String file, String extra, String secondObject) throws IOException {
    return spc(
        file,
        "azure",
        """
        keyvaultName: kv-app
        tenantId: tenant-a
        %s
        objects: |
          array:
            - |
              objectName: db-password
              objectType: secret
            - |
        %s
        """
            .formatted(extra, secondObject.indent(6)));
  }

  @Test
  void upstreamShapedClasses_mountUnchanged_exitZero_listingEachObjectsFile() throws IOException {
    Path vault = vault("vault.yaml", "");
    Path azure =
        azure(
            "azure.yaml",
            "clientID: 0a1b2c3d-0000-0000-0000-000000000000",
            "objectName: tls\nobjectType: cert");
    Path aws =
        spc(
            "aws.yaml",
            "aws",
            """
        region: eu-west-1
        objects: |
          - objectName: "MySecret"
            objectType: "secretsmanager"
            jmesPath:
              - path: username
                objectAlias: user
          - objectName: /app/param
            objectType: ssmparameter
        """);
    Path gcp =
        spc(
            "gcp.yaml",
            "gcp",
            """
        secrets: |
          - resourceName: "projects/p/secrets/s/versions/latest"
            path: "good1.txt"
          - resourceName: "projects/p/locations/us-central1/secrets/s/versions/2"
            fileName: "regional.txt"
        """);

    MigrateCheckRun run =
        check(
            List.of(
                "--gcp-project=p",
                "--gcp-cluster-location=us-central1",
                "--gcp-cluster-name=c",
                "--token-audience=p.svc.id.goog"),
            vault,
            azure,
            aws,
            gcp);

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains(vault + ": team-a/vault (vault): mounts unchanged")
        .contains("  objects[0]: mounts unchanged -> db-password")
        .contains("  objects[1]: mounts unchanged -> db-user")
        .contains(azure + ": team-a/azure (azure): mounts unchanged")
        .contains("  objects[1]: mounts unchanged -> tls")
        .contains(aws + ": team-a/aws (aws): mounts unchanged")
        .contains("  objects[1]: mounts unchanged -> _app_param")
        .contains(gcp + ": team-a/gcp (gcp): mounts unchanged")
        .contains("  secrets[0]: mounts unchanged -> good1.txt")
        .contains(
            "4 SecretProviderClasses: 4 mount unchanged, 0 need operator settings, 0 refused");
  }

  @Test
  void operatorOnlyModes_areReportedWithTheirFlagAndChartValue_exitOne() throws IOException {
    Path tls =
        vault(
            "vault-tls.yaml",
            """
        vaultCACertPath: /vault/userconfig/vault-tls/ca.crt
        vaultTLSClientCertPath: /vault/userconfig/vault-tls/tls.crt
        vaultTLSClientKeyPath: /vault/userconfig/vault-tls/tls.key
        vaultSkipTLSVerify: "true"
        """);
    Path managed =
        azure(
            "managed.yaml",
            "useVMManagedIdentity: \"true\"\nuserAssignedIdentityID: 0a1b2c3d-0000-0000-0000-00000000000f",
            "objectName: key\nobjectType: key");

    MigrateCheckRun run = check(List.of(), tls, managed);

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains(tls + ": team-a/vault-tls (vault): needs operator settings")
        .contains(
            "  needs --vault-allow-skip-tls-verify (chart value secrets-store-provider-vault: vault.allowSkipTLSVerify)")
        .contains(
            "  needs --vault-spc-file-dirs=/vault/userconfig/vault-tls (chart value secrets-store-provider-vault: vault.tlsFileDirs)")
        .contains(managed + ": team-a/managed (azure): needs operator settings")
        .contains(
            "  needs --azure-enable-managed-identity=true (chart value secrets-store-provider-azure: azure.enableManagedIdentity)")
        .contains(
            "2 SecretProviderClasses: 0 mount unchanged, 2 need operator settings, 0 refused");
    assertThat(run.out()).doesNotContain("reason:");

    // With the settings given, the same classes mount unchanged.
    MigrateCheckRun given =
        check(
            List.of(
                "--vault-allow-skip-tls-verify",
                "--vault-spc-file-dirs=/vault/userconfig/vault-tls",
                "--azure-enable-managed-identity=true"),
            tls,
            managed);
    assertThat(given.code()).as(given.out() + given.err()).isZero();
  }

  @Test
  void servicePrincipal_mountsByDefault_andTurnedOffNeedsItsSetting_neverPrintingTheSecret()
      throws IOException {
    Path secret =
        MigrateCheckRun.servicePrincipalSecret(dir.resolve("secret.yaml"), Canaries.NODE_PUBLISH);
    Path sp =
        azure(
            "sp.yaml",
            "",
            "objectName: cert\nobjectType: secret\nobjectFormat: pfx\nobjectEncoding: base64");

    MigrateCheckRun byDefault = check(List.of("--node-publish-secret", secret.toString()), sp);
    MigrateCheckRun off =
        check(
            List.of(
                "--node-publish-secret",
                secret.toString(),
                "--azure-allow-service-principal=false"),
            sp);
    MigrateCheckRun noSecret = check(List.of(), sp);

    assertThat(byDefault.code()).as(byDefault.out() + byDefault.err()).isZero();
    assertThat(off.code()).isEqualTo(1);
    assertThat(off.out())
        .contains(
            "needs --azure-allow-service-principal=true (chart value secrets-store-provider-azure: azure.allowServicePrincipal)");
    assertThat(noSecret.code()).isEqualTo(3);
    assertThat(noSecret.out())
        .contains(
            "reason: INVALID_ARGUMENT: failed to get credentials, nodePublishSecretRef secret is not set");
    for (MigrateCheckRun run : List.of(byDefault, off, noSecret)) {
      assertThat(run.out() + run.err()).doesNotContain(Canaries.NODE_PUBLISH);
    }
  }

  @Test
  void aRefusedObject_isNamed_theOthersStillChecked_exitThree() throws IOException {
    Path typo =
        azure(
            "typo.yaml",
            "clientID: 0a1b2c3d-0000-0000-0000-000000000000",
            "objectName: tls\nobjectType: cert\nobjectVersionHistroy: 2");
    Path notAnSpc = dir.resolve("deployment.yaml");
    Files.writeString(notAnSpc, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n");
    Path unknownProvider = spc("other.yaml", "conjur", "objects: x\n");

    MigrateCheckRun run = check(List.of(), typo, notAnSpc, unknownProvider);

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(3);
    assertThat(run.out())
        .contains(typo + ": team-a/typo (azure): refused")
        .contains("  objects[0]: mounts unchanged -> db-password")
        .contains("  objects[1]: refused")
        .contains(
            "    reason: INVALID_ARGUMENT: failed to unmarshal object: objects.array[1] has an unknown field \"objectVersionHistroy\"")
        .contains(notAnSpc + ": deployment.yaml: refused")
        .contains("apiVersion must be secrets-store.csi.x-k8s.io/v1")
        .contains(unknownProvider + ": team-a/other: refused")
        .contains("no backend named \"conjur\"")
        .contains(
            "3 SecretProviderClasses: 0 mount unchanged, 0 need operator settings, 3 refused");
  }

  @Test
  void awsArnsWithoutRegion_needTheRegionFlag_andGcpProviderAdcNeedsItsFlag() throws IOException {
    Path arn =
        spc(
            "arn.yaml",
            "aws",
            """
        objects: |
          - objectName: arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-AbCdEf
        """);
    Path adc =
        spc(
            "adc.yaml",
            "gcp",
            """
        auth: provider-adc
        secrets: |
          - resourceName: projects/p/secrets/s/versions/latest
            path: s.txt
        """);
    List<String> gcp =
        List.of("--gcp-project=p", "--gcp-cluster-location=l", "--gcp-cluster-name=c");

    MigrateCheckRun withoutRegion = check(gcp, arn, adc);
    assertThat(withoutRegion.code()).as(withoutRegion.out() + withoutRegion.err()).isEqualTo(3);
    assertThat(withoutRegion.out())
        .contains(arn + ": team-a/arn (aws): refused")
        .contains(adc + ": team-a/adc (gcp): needs operator settings")
        .contains(
            "  needs --gcp-allow-provider-adc (chart value secrets-store-provider-gcp: extraArgs)");

    List<String> flags = new ArrayList<>(gcp);
    flags.add("--aws-region=eu-west-1");
    MigrateCheckRun withRegion = check(flags, arn);
    assertThat(withRegion.code()).as(withRegion.out() + withRegion.err()).isZero();
    assertThat(withRegion.out())
        .contains(
            "  objects[0]: mounts unchanged -> arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-AbCdEf");
  }

  @Test
  void chartValuesFiles_giveTheirBackendsTheFlagsTheChartsRender() throws IOException {
    Path tls =
        vault(
            "vault-tls.yaml",
            """
        vaultCACertPath: /vault/userconfig/vault-tls/ca.crt
        vaultSkipTLSVerify: "true"
        """);
    Path secret =
        MigrateCheckRun.servicePrincipalSecret(dir.resolve("secret.yaml"), Canaries.NODE_PUBLISH);
    Path sp = azure("sp.yaml", "", "objectName: cert\nobjectType: cert");
    Path adc =
        spc(
            "adc.yaml",
            "gcp",
            """
        auth: provider-adc
        secrets: |
          - resourceName: projects/p/secrets/s/versions/latest
            path: s.txt
        """);
    Path vaultValues =
        Files.writeString(
            dir.resolve("vault-values.yaml"),
            """
        vault:
          tlsFileDirs:
            - {path: /vault/userconfig/vault-tls, secretName: vault-tls}
          allowSkipTLSVerify: true
        """);
    Path azureValues =
        Files.writeString(
            dir.resolve("azure-values.yaml"), "azure:\n  allowServicePrincipal: false\n");
    Path gcpValues =
        Files.writeString(
            dir.resolve("gcp-values.yaml"),
            "extraArgs: [--gcp-allow-provider-adc, --gcp-project=p, --gcp-cluster-location=l, --gcp-cluster-name=c]\n");

    MigrateCheckRun run =
        check(
            List.of(
                "--values",
                "vault=" + vaultValues,
                "--values",
                "azure=" + azureValues,
                "--values",
                "gcp=" + gcpValues,
                "--node-publish-secret",
                secret.toString()),
            tls,
            sp,
            adc);

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains(tls + ": team-a/vault-tls (vault): mounts unchanged")
        .contains(adc + ": team-a/adc (gcp): mounts unchanged")
        .contains(sp + ": team-a/sp (azure): needs operator settings")
        .contains(
            "needs --azure-allow-service-principal=true (chart value secrets-store-provider-azure: azure.allowServicePrincipal)");
    // A flag on the command line wins over the values file.
    MigrateCheckRun overridden =
        check(
            List.of(
                "--values",
                "azure=" + azureValues,
                "--azure-allow-service-principal=true",
                "--node-publish-secret",
                secret.toString()),
            sp);
    assertThat(overridden.code()).as(overridden.out() + overridden.err()).isZero();
  }

  @Test
  void directoriesAreWalked_andAMistypedFlagIsAUsageError() throws IOException {
    vault("a.yaml", "");
    vault("b.yml", "");
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    MigrateCheckRun run = check(List.of(), dir);
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("2 SecretProviderClasses: 2 mount unchanged");

    MigrateCheckRun typo = check(List.of("--vault-spc-file-dir=/x"), dir);
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("--vault-spc-file-dir");
  }
}
