// SPDX-License-Identifier: Apache-2.0
/**
 * JSON encoding that matches Go's encoding/json byte for byte where the driver and kubelet compare
 * bytes.
 */
package io.secretsstore.provider.json;
