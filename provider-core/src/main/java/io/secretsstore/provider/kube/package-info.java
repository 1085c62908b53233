// SPDX-License-Identifier: Apache-2.0
/**
 * The small Kubernetes facade the rest needs: one client per process, service-account annotations,
 * TokenRequest, immutable Secrets for shared keys and the SecretSync resources. Kubernetes API
 * messages never reach a pod event.
 */
package io.secretsstore.provider.kube;
