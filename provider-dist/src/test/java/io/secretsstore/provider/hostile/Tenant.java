// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.hostile;

import io.secretsstore.provider.conformance.EmulatedBackend;
import io.secretsstore.provider.grpc.ProviderClient;
import java.util.Map;

/**
 * A pod of one namespace (service account {@code app}) with a real token the emulator accepts:
 * builds the MountRequests the driver would send for it.
 */
public final class Tenant {
  private final EmulatedBackend backend;
  private final String namespace;
  private final String pod;
  private final String token;

  Tenant(EmulatedBackend backend, String namespace, String pod) {
    this(backend, namespace, pod, backend.token(namespace));
  }

  private Tenant(EmulatedBackend backend, String namespace, String pod, String token) {
    this.backend = backend;
    this.namespace = namespace;
    this.pod = pod;
    this.token = token;
  }

  public String namespace() {
    return namespace;
  }

  /** Another pod of the same namespace and service account (same identity, own token). */
  public Tenant pod(String name) {
    return new Tenant(backend, namespace, name);
  }

  /** The same pod presenting another token (expired, forged, garbage...). */
  public Tenant withToken(String other) {
    return new Tenant(backend, namespace, pod, other);
  }

  /** A mount of these secrets with the backend's default parameters. */
  public ProviderClient.MountCall mount(String... secrets) {
    return mount(Map.of(), secrets);
  }

  /** A mount of these secrets with {@code parameters} added to (or replacing) the backend's. */
  public ProviderClient.MountCall mount(Map<String, String> parameters, String... secrets) {
    return withObjects(parameters, backend.objects(secrets));
  }

  /** A mount whose objects parameter is {@code objects} as written (any text, any size). */
  public ProviderClient.MountCall withObjects(Map<String, String> parameters, String objects) {
    return EmulatedBackend.call(backend.attributes(namespace, pod, token, parameters, objects));
  }

  @Override
  public String toString() {
    return namespace + "/" + pod;
  }
}
