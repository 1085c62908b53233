// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

/**
 * The condition reasons of the upstream secrets-store-sync-controller, so tooling written for it
 * reads our status unchanged. They double as the {@code outcome} label of the sync metrics: a fixed
 * set, never an error text.
 */
public enum SyncReason {
  CREATE_SUCCESSFUL("CreateSuccessful"),
  SECRET_UP_TO_DATE("SecretUpToDate"),
  PROVIDER_ERROR("ProviderError"),
  SECRET_PROVIDER_CLASS_MISCONFIGURED("SecretProviderClassMisconfigured"),
  CONTROLLER_SYNC_ERROR("ControllerSyncError"),
  CONTROLLER_PATCH_ERROR("ControllerPatchError"),
  REMOTE_SECRET_STORE_FETCH_FAILED("RemoteSecretStoreFetchFailed"),
  INVALID_CLUSTER_SECRET_LABEL("InvalidClusterSecretLabelError"),
  INVALID_CLUSTER_SECRET_ANNOTATION("InvalidClusterSecretAnnotationError"),
  SYNC_STARTING("SyncStarting"),
  NO_UPDATES_ATTEMPTED_YET("NoUpdatesAttemptedYet");

  private final String text;

  SyncReason(String text) {
    this.text = text;
  }

  /** The reason as written in a condition. */
  public String text() {
    return text;
  }
}
