// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The life cycle the AWS integration tests share: one emulator bed per class (subclasses seed it in
 * a {@code @BeforeAll} of another name, which JUnit runs after this one), what a test tracked
 * closed after it, and no canary in any log line of the test.
 */
abstract class AwsBedTests {
  static AwsTestBed bed;

  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void startBed() throws Exception {
    bed = new AwsTestBed();
  }

  @AfterAll
  static void stopBed() throws Exception {
    bed.close();
  }

  @AfterEach
  void closeTrackedAndScanLogs() throws Exception {
    bed.closeTracked();
    logs.assertNoCanary(Canaries.all());
  }
}
