// SPDX-License-Identifier: Apache-2.0
/**
 * The migration check: SecretProviderClasses written for an upstream provider, run through the
 * backends' own parameter parsing and operator-policy checks in a dry run (no backend contacted),
 * reported per class and per object as mounting unchanged, needing an operator setting, or refused.
 */
package io.secretsstore.provider.migrate;
