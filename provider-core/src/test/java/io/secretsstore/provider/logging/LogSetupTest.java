// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void restoreDefaultConfiguration() throws Exception {
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void configure_traceLevel_keepsTheGrpcFrameLoggerAtInfo() {
    LogSetup.configure(LogSetup.Format.json, "trace");
    assertThat(context.getLogger("ROOT").getLevel()).isEqualTo(Level.TRACE);
    assertThat(
            context
                .getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler")
                .getEffectiveLevel())
        .isEqualTo(Level.INFO);
    assertThat(
            context
                .getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler")
                .isDebugEnabled())
        .isFalse();
    assertThat(
            context
                .getLogger("io.fabric8.kubernetes.client.http.HttpLoggingInterceptor")
                .isTraceEnabled())
        .isFalse();
  }

  @Test
  void setLevel_atRuntime_changesTheRootButNotThePinnedLoggers() {
    LogSetup.configure(LogSetup.Format.text, "info");
    LogSetup.setLevel("debug");
    assertThat(context.getLogger("io.secretsstore").isDebugEnabled()).isTrue();
    assertThat(
            context
                .getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler")
                .isDebugEnabled())
        .isFalse();
    LogSetup.setLevel("nonsense");
    assertThat(context.getLogger("ROOT").getLevel()).isEqualTo(Level.INFO);
  }
}
