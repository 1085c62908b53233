// SPDX-License-Identifier: Apache-2.0
/**
 * The picocli commands (serve, sync, mount, conformance, fingerprints, version) and their option
 * groups: turning flags into settings and wiring the process through one {@code Assembly}. No Mount
 * logic lives here; commands assemble the other packages.
 */
package io.secretsstore.provider.cli;
