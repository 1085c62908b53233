// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static io.secretsstore.provider.vault.VaultTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.vault.VaultRole;
import io.secretsstore.provider.testing.CountingTcpProxy;
import io.secretsstore.provider.testing.ProviderFixture;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Vault calls reuse their HTTPS connections: after a first mount, the next mounts' logins and reads
 * open no new connection (counted by a TCP proxy in front of the emulator). The JDK client returns
 * a connection to its pool only when the body has been read to its end, so a body read to its
 * declared length and then closed had cost a TLS handshake per call.
 */
class VaultConnectionReuseIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final VaultTestBed bed = new VaultTestBed();

  VaultConnectionReuseIT() throws Exception {}

  @AfterEach
  void close() throws Exception {
    bed.close();
  }

  @Test
  void sequentialMounts_reuseOneConnection() throws Exception {
    for (int i = 0; i < 6; i++) {
      bed.vault.putKv2("", "secret", "app/s" + i, Map.of("value", "value-" + i));
    }
    try (CountingTcpProxy proxy = new CountingTcpProxy(URI.create(bed.httpsAddress()))) {
      VaultSettings settings =
          VaultSettings.forAddress(proxy.via(URI.create(bed.httpsAddress())).toString())
              .withHmacNamespace(VaultTestBed.PROVIDER_NAMESPACE)
              .withTls(new TlsConfig(bed.caFile.toString(), "", "localhost", "", "", false));
      try (VaultBackend backend = bed.backend(settings);
          ProviderFixture provider = ProviderFixture.start(backend, VaultTestBed.FAST)) {
        // One object per mount, one mount after the other: a login and a read each time (each
        // mount is a new service account), never two calls at once.
        for (int i = 0; i < 6; i++) {
          String serviceAccount = i == 0 ? "app" : "app" + i;
          bed.vault.addRole(
              "",
              "kubernetes",
              new VaultRole(
                  "role" + i,
                  List.of(serviceAccount),
                  List.of(VaultTestBed.POD_NAMESPACE),
                  "vault",
                  List.of("secret/"),
                  Duration.ofHours(1)));
          Map<String, String> attributes =
              new LinkedHashMap<>(
                  bed.attributes(
                      serviceAccount,
                      "- {objectName: s, secretPath: secret/data/app/s"
                          + i
                          + ", secretKey: value}"));
          attributes.put("roleName", "role" + i);
          assertThat(provider.client().mount(call(attributes), TIMEOUT).files()).hasSize(1);
        }
        assertThat(bed.vault.loginCount()).isEqualTo(6);
        assertThat(proxy.connections()).as("connections for 6 logins and 6 reads").isEqualTo(1);
      }
    }
  }
}
