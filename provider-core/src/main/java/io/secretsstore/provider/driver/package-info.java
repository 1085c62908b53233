// SPDX-License-Identifier: Apache-2.0
/**
 * The driver emulator behind the mount command: builds the MountRequest as the Secrets Store CSI
 * driver does, applies the driver's checks to the response and writes files with its atomic-writer
 * layout.
 */
package io.secretsstore.provider.driver;
