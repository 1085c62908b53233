// SPDX-License-Identifier: Apache-2.0
/** Local, protocol-faithful stand-ins for the four clouds, and what they share. */
package io.secretsstore.provider.emulators;
