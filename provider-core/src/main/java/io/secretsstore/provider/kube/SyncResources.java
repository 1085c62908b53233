// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The two custom resources the SecretSync controller reads, addressed without discovery (so the
 * client needs no CRD read permission and works before the CRD's discovery settles).
 */
public final class SyncResources {
  /** secret-sync.x-k8s.io/v1alpha1 SecretSync. */
  public static final ResourceDefinitionContext SECRET_SYNC =
      new ResourceDefinitionContext.Builder()
          .withGroup("secret-sync.x-k8s.io")
          .withVersion("v1alpha1")
          .withKind("SecretSync")
          .withPlural("secretsyncs")
          .withNamespaced(true)
          .build();

  /** secrets-store.csi.x-k8s.io/v1 SecretProviderClass. */
  public static final ResourceDefinitionContext SECRET_PROVIDER_CLASS =
      new ResourceDefinitionContext.Builder()
          .withGroup("secrets-store.csi.x-k8s.io")
          .withVersion("v1")
          .withKind("SecretProviderClass")
          .withPlural("secretproviderclasses")
          .withNamespaced(true)
          .build();

  private SyncResources() {}

  /** {@code group/version} of a resource, as in {@code apiVersion}. */
  public static String apiVersion(ResourceDefinitionContext context) {
    return context.getGroup() + "/" + context.getVersion();
  }
}
