// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static io.secretsstore.provider.azure.AzureTestBed.objects;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.testing.CountingTcpProxy;
import io.secretsstore.provider.testing.ProviderFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A new identity's Key Vault clients reuse what earlier identities' clients established: the shared
 * HTTP client's connections (counted by a TCP proxy in front of the emulator's Key Vault) and the
 * vault's bearer challenge (authority and scope), so its first read carries its own token at once
 * instead of an unauthenticated request that earns a 401 first.
 */
class AzureConnectionReuseIT {
  private static final String SECRET_GET = "azure.keyvault.secret.get";
  private static final String OTHER_CLIENT_ID = "0a1b2c3d-7777-8888-9999-444455556666";
  private final AzureTestBed bed;

  AzureConnectionReuseIT() throws Exception {
    bed = new AzureTestBed();
  }

  @AfterEach
  void close() throws Exception {
    bed.closeProviders();
    bed.close();
  }

  @Test
  void aNewIdentity_reusesTheConnections_andTheVaultsChallenge() throws Exception {
    for (int i = 0; i < 20; i++) {
      bed.azure.setSecret(AzureTestBed.VAULT, "s" + i, "value-" + i);
    }
    bed.azure.addApplication(
        AzureTestBed.TENANT, OTHER_CLIENT_ID, "other-secret", "system:serviceaccount:team-a:other");
    bed.azure.allow(AzureTestBed.VAULT, OTHER_CLIENT_ID);
    try (CountingTcpProxy proxy = new CountingTcpProxy(bed.started.endpoint("keyvault"))) {
      AzureSettings settings =
          AzureSettings.emulated(
              proxy.via(bed.started.endpoint("keyvault")), bed.started.endpoint("aad"), bed.caFile);
      // The default engine: the fast one re-reads the first identity's objects every 500 ms, and on
      // a
      // loaded machine those refreshes fell among the second identity's reads that this test
      // counts.
      ProviderFixture provider = bed.provider(settings, EngineSettings.DEFAULT);

      assertThat(
              ProviderFixture.text(
                  provider.mount(AzureTestBed.call(bed.attributes(secrets(0)))), 0))
          .isEqualTo("value-0");
      int connectionsAfterFirst = proxy.connections();
      long readsAfterFirst = bed.azure.calls().count(SECRET_GET);
      // The new identity reads as many objects in parallel as the first Mount left connections in
      // the pool: how many that is depends on how its 10 reads overlapped (fewer on a loaded
      // machine), and a shared pool serves that many without a new connection, where a client of
      // the new identity's own would have to open at least one.
      int parallel = Math.min(10, connectionsAfterFirst);

      Map<String, String> other =
          AzureTestBed.with(
              bed.attributes(secrets(10, parallel)),
              "clientID",
              OTHER_CLIENT_ID,
              "csi.storage.k8s.io/serviceAccount.name",
              "other",
              "csi.storage.k8s.io/serviceAccount.tokens",
              AzureTestBed.tokens(
                  Map.of(
                      io.secretsstore.provider.emulators.azure.AzureEmulator.EXCHANGE_AUDIENCE,
                      bed.token("other"))));
      assertThat(ProviderFixture.text(provider.mount(AzureTestBed.call(other)), 0))
          .isEqualTo("value-10");
      assertThat(bed.azure.calls().count(SECRET_GET) - readsAfterFirst)
          .as("one read per object with the new identity's token, none unauthenticated first")
          .isEqualTo(parallel);
      assertThat(proxy.connections() - connectionsAfterFirst)
          .as("new Key Vault connections for the new identity")
          .isZero();
    }
  }

  private static String secrets(int first) {
    return secrets(first, 10);
  }

  private static String secrets(int first, int count) {
    List<String> elements = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      elements.add("objectName: s" + i + "\nobjectType: secret");
    }
    return objects(elements.toArray(new String[0]));
  }
}
