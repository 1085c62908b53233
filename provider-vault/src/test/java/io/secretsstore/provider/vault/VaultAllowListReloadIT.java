// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static io.secretsstore.provider.vault.VaultTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.audit.SwitchingAuditSink;
import io.secretsstore.provider.config.ConfigApplier;
import io.secretsstore.provider.config.ConfigDefaults;
import io.secretsstore.provider.config.ConfigFileWatcher;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.spi.AllowLists;
import io.secretsstore.provider.spi.BackendCalls;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ConfigFiles;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The configuration file's {@code vaultAllowedAddresses}, read by the real watcher from a real file
 * and applied by the same code as {@code serve}, narrows and widens the addresses a
 * SecretProviderClass may name on the next mount through the socket, without a restart.
 */
class VaultAllowListReloadIT {
  private static final String OBJECTS =
      "- {objectName: password, secretPath: secret/data/app/db, secretKey: password}";

  @RegisterExtension final LogCapture logs = new LogCapture();
  private final List<Boolean> reloads = new ArrayList<>();
  private VaultTestBed bed;
  private VaultBackend backend;
  private ProviderFixture provider;
  private ConfigFileWatcher watcher;
  private Path config;

  @BeforeEach
  void start() throws Exception {
    bed = new VaultTestBed();
    bed.vault.putKv2("", "secret", "app/db", Map.of("password", Canaries.SECRET));
    config = Files.createTempFile("config", ".yaml");
    write("vaultAllowedAddresses: [\"" + bed.httpAddress() + "\"]\n");
    AllowLists allowLists = new AllowLists();
    backend =
        VaultBackend.start(
            bed.settings(),
            new BackendContext(
                Clock.systemUTC(),
                new CredentialCache(Clock.systemUTC(), 100),
                BackendCalls.NONE,
                allowLists,
                SharedKubeClient.of(bed.kube)));
    // In serve's order: the file is applied before the socket accepts mounts, the engine attached
    // after.
    ConfigApplier applier = new ConfigApplier("info", SwitchingAuditSink.open(""), allowLists);
    watcher =
        new ConfigFileWatcher(
            config,
            new ConfigDefaults(
                VaultTestBed.FAST.cache(), VaultTestBed.FAST.resilience(), "", allowLists.checks()),
            applier,
            reloads::add);
    watcher.start(Duration.ofHours(1));
    provider = ProviderFixture.start(backend, VaultTestBed.FAST);
    applier.attach(provider.engine());
  }

  @AfterEach
  void stop() throws Exception {
    watcher.close();
    provider.close();
    backend.close();
    bed.close();
    Files.deleteIfExists(config);
  }

  private void write(String content) throws Exception {
    ConfigFiles.replace(config, content);
  }

  private Map<String, String> namingTheEmulator() {
    Map<String, String> attributes = new LinkedHashMap<>(bed.attributes(OBJECTS));
    attributes.put("vaultAddress", bed.httpAddress());
    return attributes;
  }

  private void assertMounts() {
    assertThat(ProviderFixture.text(provider.mount(call(namingTheEmulator())), 0))
        .isEqualTo(Canaries.SECRET);
  }

  private void assertRefused(String because) {
    ProviderCallException refused =
        provider.assertRejected(
            call(namingTheEmulator()),
            "INVALID_ARGUMENT",
            "vaultAddress is not one of the addresses the provider allows (" + because + ")");
    String hostPort = bed.httpAddress().replaceFirst("^http://", "").replaceFirst("/$", "");
    assertThat(refused.description()).as("the address is not echoed").doesNotContain(hostPort);
  }

  @Test
  void removingAnAddress_refusesTheNextMount_andAddingItBack_allowsIt_withoutRestart()
      throws Exception {
    assertMounts();

    write("vaultAllowedAddresses: [\"https://vault.example:8200\"]\n");
    watcher.check();
    long vaultCalls = bed.vault.calls().total();
    assertRefused("vaultAllowedAddresses in the configuration file");
    assertThat(bed.vault.calls().total())
        .as("no Vault call for a refused address")
        .isEqualTo(vaultCalls);

    write("vaultAllowedAddresses: []\n");
    watcher.check();
    assertRefused("vaultAllowedAddresses in the configuration file");

    // A broken list is rejected as a whole, naming the entry's index and never its text: the
    // previous (empty) list stays in force.
    write(
        "vaultAllowedAddresses: [\""
            + bed.httpAddress()
            + "\", \"unix:///"
            + Canaries.SECRET
            + "\"]\n");
    watcher.check();
    assertRefused("vaultAllowedAddresses in the configuration file");
    assertThat(logs.text())
        .contains("configuration file rejected")
        .contains("vaultAllowedAddresses[1]");

    write(
        "vaultAllowedAddresses: [\""
            + bed.httpAddress().toUpperCase(java.util.Locale.ROOT)
            + "/\"]\n");
    watcher.check();
    assertMounts();

    // Without the key the flag applies again: --vault-allowed-addresses unset allows any address.
    write("logLevel: info\n");
    watcher.check();
    assertMounts();
    assertThat(reloads).containsExactly(true, true, false, true, true);
    logs.assertNoCanary(Canaries.all());
  }

  @Test
  void withoutAFileList_theFlagsListApplies_andAFileListReplacesIt() throws Exception {
    backend.close();
    provider.close();
    AllowLists allowLists = new AllowLists();
    backend =
        VaultBackend.start(
            bed.settings()
                .withAllowances(false, false, List.of("https://vault.example:8200"), List.of()),
            new BackendContext(
                Clock.systemUTC(),
                new CredentialCache(Clock.systemUTC(), 100),
                BackendCalls.NONE,
                allowLists,
                SharedKubeClient.of(bed.kube)));
    provider = ProviderFixture.start(backend, VaultTestBed.FAST);
    allowLists.replace(Map.of());
    assertRefused("--vault-allowed-addresses");
    allowLists.replace(
        Map.of(
            VaultBackend.ALLOWED_ADDRESSES_KEY,
            List.of(VaultAddress.normalize(bed.httpAddress()))));
    assertMounts();
  }
}
