// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import static io.secretsstore.provider.gcp.GcpTestBed.PROJECT;
import static io.secretsstore.provider.gcp.GcpTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.testing.ProviderFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 point 9 with the real Secret Manager client against the GCP emulator: a tenant naming
 * more made-up locations than the client bound evicts its own clients, least recently used first,
 * and regional secrets keep working for everyone.
 */
class GcpRegionalClientsIT {
  private static GcpTestBed bed;

  @BeforeAll
  static void startBed() throws Exception {
    bed = new GcpTestBed();
    bed.gcp.addVersion(PROJECT + "/locations/us-central1/secrets/regional", "central");
  }

  @AfterAll
  static void stopBed() throws Exception {
    bed.close();
  }

  @Test
  void point12_gaxPayloadLoggers_stayAtInfo_whenTheRootIsAtTrace() throws Exception {
    ch.qos.logback.classic.LoggerContext logging =
        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    logging
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .setLevel(ch.qos.logback.classic.Level.TRACE);
    try (GcpBackend backend = bed.backend(bed.impersonating())) {
      assertThat(backend.name()).isEqualTo("gcp");
      assertThat(
              org.slf4j.LoggerFactory.getLogger("com.google.api.gax.grpc.GrpcLoggingInterceptor")
                  .isDebugEnabled())
          .isFalse();
      assertThat(
              org.slf4j.LoggerFactory.getLogger("io.secretsstore.provider.gcp.GcpBackend")
                  .isTraceEnabled())
          .isTrue();
    } finally {
      logging
          .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }

  @Test
  void point9_madeUpLocations_evictEachOther_andRegionalSecretsKeepWorking() throws Exception {
    try (GcpBackend backend = bed.backend(bed.impersonating());
        ProviderFixture provider = ProviderFixture.start(backend, ProviderFixture.FAST)) {
      String victim =
          "- resourceName: projects/emulator-project/locations/us-central1/secrets/regional/versions/latest\n  fileName: c\n";
      assertThat(ProviderFixture.text(provider.mount(call(bed.attributes(victim))), 0))
          .isEqualTo("central");
      for (int i = 0; i < GcpClients.MAX_LOCATIONS * 2; i++) {
        String hostile =
            "- resourceName: projects/emulator-project/locations/made-up-"
                + i
                + "/secrets/s/versions/1\n  fileName: x\n";
        try {
          provider.mount(call(bed.attributes(hostile)));
        } catch (ProviderCallException e) {
          assertThat(e.code()).as(e.description()).isNotEqualTo("RESOURCE_EXHAUSTED");
        }
        assertThat(backend.clientCount()).isLessThanOrEqualTo(GcpClients.MAX_LOCATIONS + 1);
      }
      MountReply reply = provider.mount(call(bed.attributes(victim.replace("latest", "1"))));
      assertThat(ProviderFixture.text(reply, 0)).isEqualTo("central");
    }
  }
}
