// SPDX-License-Identifier: Apache-2.0
/**
 * JSON encoding that matches Go's encoding/json byte for byte where the driver and kubelet compare
 * bytes, and the Jackson mappers for the JSON the provider reads and writes itself.
 */
package io.secretsstore.provider.json;
