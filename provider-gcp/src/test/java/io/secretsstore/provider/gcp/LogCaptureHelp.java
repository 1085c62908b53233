// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import io.secretsstore.provider.testing.LogCapture;

/** Scans a text for every canary of a test bed: the planted ones and the pod tokens it minted. */
final class LogCaptureHelp {
  private LogCaptureHelp() {}

  static void assertClean(String text, GcpTestBed bed) {
    LogCapture.assertNoCanaryIn(text, bed.canaries());
  }
}
