// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dynamic secrets beyond upstream: one database credential per lease, renewed in place and revoked
 * once unused; PKI certificates reused for most of their lifetime and keyed by their request body.
 * The backend's clock is stepped, so hours of polling pass instantly; Vault is the emulator.
 */
class VaultDynamicSecretsIT {
  private static final Duration POLL = Duration.ofMinutes(2).plusSeconds(15);
  private static VaultTestBed bed;

  @BeforeAll
  static void startBed() throws Exception {
    bed = new VaultTestBed();
    bed.vault.enablePki("", "pki", "web", Duration.ofHours(24));
    bed.vault.enableDatabase("", "database", "readonly", Duration.ofHours(1));
  }

  @AfterAll
  static void stopBed() throws Exception {
    bed.close();
  }

  @SuppressWarnings("unchecked") // the vault backend's plans are of ObjectSpec
  private static MountPlan<ObjectSpec> plan(
      VaultBackend backend, String objects, java.time.Clock clock) {
    Map<String, String> attributes = bed.attributes(objects);
    // The driver's token expiry as the stepped clock sees it; the JWT itself is checked by Vault in
    // real time.
    attributes.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        VaultTestBed.json(
            Map.of(
                "vault",
                Map.of(
                    "token",
                    bed.jwt("app", "vault"),
                    "expirationTimestamp",
                    clock.instant().plusSeconds(3600).toString()))));
    String json = VaultTestBed.json(attributes);
    return (MountPlan<ObjectSpec>)
        backend.plan(MountRequestContext.parse(json, "null", "/t", "420", List.of()));
  }

  /** Fetches every object of the plan, as one mount or one poll would. */
  private static List<String> fetchAll(MountPlan<ObjectSpec> plan) throws InterruptedException {
    return fetchAll(plan, true);
  }

  private static List<String> fetchAll(MountPlan<ObjectSpec> plan, boolean checkStable)
      throws InterruptedException {
    List<String> contents = new ArrayList<>();
    for (PlannedObject<ObjectSpec> object : plan.objects()) {
      FetchedObject fetched = plan.fetcher().fetch(object);
      contents.add(new String(fetched.files().get(0).contents(), StandardCharsets.UTF_8));
      String path = object.spec().request().path();
      if (checkStable && (path.contains("/creds/") || path.contains("/issue/"))) {
        assertThat(fetched.stableUntil()).as("dynamic objects are declared stable").isNotNull();
      }
    }
    return contents;
  }

  private static final String PKI =
      """
      - {objectName: cert, secretPath: pki/issue/web, method: PUT, secretKey: certificate, secretArgs: {common_name: a.example.com, ttl: 24h}}
      - {objectName: key, secretPath: pki/issue/web, method: PUT, secretKey: private_key, secretArgs: {common_name: a.example.com, ttl: 24h}}
      - {objectName: other-cert, secretPath: pki/issue/web, method: PUT, secretKey: certificate, secretArgs: {common_name: b.example.com, ttl: 24h}}
      """;

  @Test
  void pki_polled20TimesWithinItsValidity_issuesOneCertificatePerRequest() throws Exception {
    SteppingClock clock = new SteppingClock();
    try (VaultBackend backend = bed.backend(bed.settings(), clock)) {
      int before = bed.vault.certificatesIssued();
      MountPlan<ObjectSpec> plan = plan(backend, PKI, clock);
      List<String> first = fetchAll(plan);
      // cert and key come from one issue; b.example.com is another request (upstream would reuse
      // a's).
      assertThat(bed.vault.certificatesIssued() - before).isEqualTo(2);
      assertThat(first.get(0)).contains("BEGIN CERTIFICATE").isNotEqualTo(first.get(2));
      assertThat(first.get(1)).contains("PRIVATE KEY");
      for (int poll = 0; poll < 20; poll++) {
        clock.advance(POLL);
        assertThat(fetchAll(plan(backend, PKI, clock))).isEqualTo(first);
      }
      assertThat(bed.vault.certificatesIssued() - before)
          .as("20 polls, 45 minutes: no new certificate")
          .isEqualTo(2);
      clock.advance(Duration.ofHours(16)); // past 66% of 24 hours
      // (The new certificate's validity starts at real time, behind the stepped clock: no stability
      // check.)
      assertThat(fetchAll(plan(backend, PKI, clock), false).get(0)).isNotEqualTo(first.get(0));
      assertThat(bed.vault.certificatesIssued() - before).isEqualTo(4);
    }
  }

  private static final String DB =
      """
      - {objectName: username, secretPath: database/creds/readonly, secretKey: username}
      - {objectName: password, secretPath: database/creds/readonly, secretKey: password}
      """;

  @Test
  void database_oneReadPerLease_renewedInPlace_thenRevokedWhenUnused() throws Exception {
    SteppingClock clock = new SteppingClock();
    VaultSettings settings = bed.settings().withLeaseRevokeAfter(Duration.ofMinutes(10));
    try (VaultBackend backend = bed.backend(settings, clock)) {
      int issued = bed.vault.databaseCredentialsIssued();
      int renewed = bed.vault.leasesRenewed();
      int revoked = bed.vault.leasesRevoked();
      List<String> first = fetchAll(plan(backend, DB, clock));
      assertThat(bed.vault.databaseCredentialsIssued() - issued)
          .as("username and password from one read")
          .isEqualTo(1);

      for (int poll = 0;
          poll < 20;
          poll++) { // 45 minutes of polls: the lease is renewed once, at two thirds
        clock.advance(POLL);
        assertThat(fetchAll(plan(backend, DB, clock))).isEqualTo(first);
      }
      assertThat(bed.vault.databaseCredentialsIssued() - issued).isEqualTo(1);
      assertThat(bed.vault.leasesRenewed() - renewed).isEqualTo(1);
      assertThat(backend.reap()).as("in use: nothing revoked").isZero();

      clock.advance(Duration.ofMinutes(11)); // no mount or refresh touched it for the revoke delay
      assertThat(backend.reap()).isEqualTo(1);
      assertThat(bed.vault.leasesRevoked() - revoked).isEqualTo(1);
    }
  }

  @Test
  void point4_aLeaseNoMountAskedFor_keepsItsRecordToRevoke_butNotItsData() throws Exception {
    SteppingClock clock = new SteppingClock();
    VaultSettings settings = bed.settings().withLeaseRevokeAfter(Duration.ofMinutes(10));
    try (VaultBackend backend = bed.backend(settings, clock)) {
      int revoked = bed.vault.leasesRevoked();
      fetchAll(plan(backend, DB, clock));
      assertThat(backend.heldResponseBytes()).isGreaterThan(ResponseCache.ENTRY_OVERHEAD);
      clock.advance(
          Duration.ofMinutes(
              6)); // past the stable period handed to the engine (5 minutes), before the revoke
      // delay
      assertThat(backend.reap()).isZero();
      assertThat(backend.heldResponseBytes())
          .as("only the lease record")
          .isEqualTo(ResponseCache.ENTRY_OVERHEAD);
      clock.advance(Duration.ofMinutes(5));
      assertThat(backend.reap()).isEqualTo(1);
      assertThat(bed.vault.leasesRevoked() - revoked).isEqualTo(1);
      assertThat(backend.heldResponseBytes()).isZero();
    }
  }

  @Test
  void close_revokesLeasesStillHeld() throws Exception {
    int revoked = bed.vault.leasesRevoked();
    VaultBackend backend = bed.backend(bed.settings());
    fetchAll(plan(backend, DB, java.time.Clock.systemUTC()));
    int active = bed.vault.activeLeaseIds().size();
    backend.close();
    assertThat(bed.vault.leasesRevoked() - revoked).isEqualTo(1);
    assertThat(bed.vault.activeLeaseIds()).hasSize(active - 1);
  }

  @Test
  void pki_throughTheSocket_mountedRepeatedly_oneCertificate() throws Exception {
    try (VaultBackend backend = bed.backend(bed.settings());
        ProviderFixture provider = ProviderFixture.start(backend, VaultTestBed.FAST)) {
      int before = bed.vault.certificatesIssued();
      Map<String, String> attributes = bed.attributes(PKI);
      MountReply first =
          provider.client().mount(VaultTestBed.call(attributes), Duration.ofSeconds(30));
      for (int i = 0; i < 20; i++) {
        Thread.sleep(100);
        MountReply again =
            provider.client().mount(VaultTestBed.call(attributes), Duration.ofSeconds(30));
        assertThat(again.versions()).isEqualTo(first.versions());
      }
      assertThat(bed.vault.certificatesIssued() - before).isEqualTo(2);
    }
  }
}
