// SPDX-License-Identifier: Apache-2.0
/**
 * The SecretSync controller: watches SecretSync objects, mounts through the backend in process and
 * keeps the named Secret equal to what it returns, with upstream's conditions, hash and leader
 * election.
 */
package io.secretsstore.provider.sync;
