// SPDX-License-Identifier: Apache-2.0
/** Thread plumbing shared by every package: named daemon thread factories. */
package io.secretsstore.provider.concurrent;
