// SPDX-License-Identifier: Apache-2.0
/** Plain-text output for the command line: aligned tables for mounts, fingerprints and reports. */
package io.secretsstore.provider.text;
