// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.secretsstore.provider.spi.FetchedFile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Secret's data built from the files a mount returned, as upstream builds it: each {@code
 * sourcePath} must be a returned file and goes to its {@code targetKey}; a {@code
 * kubernetes.io/tls} Secret takes its certificates into {@code tls.crt} and its key into {@code
 * tls.key}. Holds secret bytes: {@link #toString()} shows the keys only.
 */
public final class SecretData {
  private final SortedMap<String, byte[]> data;

  private SecretData(SortedMap<String, byte[]> data) {
    this.data = data;
  }

  /**
   * Maps the files.
   *
   * @throws SyncFailure CONTROLLER_SYNC_ERROR naming the sourcePath or targetKey at fault
   */
  public static SecretData from(List<FetchedFile> files, SecretSyncSpec spec) {
    Map<String, FetchedFile> byPath = new LinkedHashMap<>();
    for (FetchedFile file : files) {
      byPath.put(file.path(), file);
    }
    boolean tls = SecretSyncSpec.TLS_TYPE.equals(spec.secretType());
    SortedMap<String, byte[]> data = new TreeMap<>();
    for (SecretSyncSpec.Mapping mapping : spec.data()) {
      FetchedFile file = byPath.get(mapping.sourcePath());
      if (file == null) {
        throw SyncFailure.misconfigured(
            SyncReason.REMOTE_SECRET_STORE_FETCH_FAILED,
            "file matching sourcePath "
                + mapping.sourcePath()
                + " not found in the SecretProviderClass objects");
      }
      if (data.containsKey(mapping.targetKey())) {
        throw SyncFailure.misconfigured(
            SyncReason.REMOTE_SECRET_STORE_FETCH_FAILED,
            "targetKey " + mapping.targetKey() + " appears more than once");
      }
      data.put(mapping.targetKey(), tls ? tlsPart(mapping, file) : file.contents());
    }
    if (tls && !(data.containsKey(TlsSplitter.CERT_KEY) && data.containsKey(TlsSplitter.KEY_KEY))) {
      throw SyncFailure.misconfigured(
          SyncReason.REMOTE_SECRET_STORE_FETCH_FAILED,
          "a kubernetes.io/tls Secret needs targetKeys "
              + TlsSplitter.CERT_KEY
              + " and "
              + TlsSplitter.KEY_KEY);
    }
    return new SecretData(data);
  }

  private static byte[] tlsPart(SecretSyncSpec.Mapping mapping, FetchedFile file) {
    TlsSplitter.Parts parts = TlsSplitter.split(file.contents(), mapping.sourcePath());
    return switch (mapping.targetKey()) {
      case TlsSplitter.CERT_KEY -> parts.certificates();
      case TlsSplitter.KEY_KEY -> parts.privateKey();
      default ->
          throw SyncFailure.misconfigured(
              SyncReason.REMOTE_SECRET_STORE_FETCH_FAILED,
              "targetKey "
                  + mapping.targetKey()
                  + " is not allowed in a kubernetes.io/tls Secret: use "
                  + TlsSplitter.CERT_KEY
                  + " or "
                  + TlsSplitter.KEY_KEY);
    };
  }

  /** The data by key, sorted; the arrays are the caller's to read, not to change. */
  public SortedMap<String, byte[]> asMap() {
    return Collections.unmodifiableSortedMap(data);
  }

  @Override
  public String toString() {
    return "SecretData" + data.keySet();
  }
}
