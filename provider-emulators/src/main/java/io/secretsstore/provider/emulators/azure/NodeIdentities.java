// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identities a node hands out without a pod token: the Azure Instance Metadata Service's
 * managed-identity endpoint ({@code GET /metadata/identity/oauth2/token}) for the VM's
 * system-assigned identity and its user-assigned identities by client id, and AAD Pod Identity's
 * NMI ({@code GET /host/token/}), which maps a pod (headers {@code podns}, {@code podname}) to the
 * identity assigned to it. Tokens are issued by {@link ActiveDirectory}, so Key Vault accepts them
 * like any other. Answers and error statuses are those of IMDS and NMI. Thread-safe.
 */
final class NodeIdentities {
  /** An identity of the node: its tenant and client (application) id. */
  record Identity(String tenant, String clientId) {}

  private final ActiveDirectory directory;
  private volatile Identity systemAssigned;
  private final Map<String, Identity> userAssigned = new ConcurrentHashMap<>();
  private final Map<String, Identity> pods = new ConcurrentHashMap<>();

  NodeIdentities(ActiveDirectory directory) {
    this.directory = directory;
  }

  void systemAssigned(String tenant, String clientId) {
    systemAssigned = new Identity(tenant, clientId);
  }

  void userAssigned(String tenant, String clientId) {
    userAssigned.put(clientId, new Identity(tenant, clientId));
  }

  void assignToPod(String namespace, String pod, String tenant, String clientId) {
    pods.put(namespace + "/" + pod, new Identity(tenant, clientId));
  }

  /**
   * {@code GET /metadata/identity/oauth2/token?api-version&resource[&client_id]}, header {@code
   * Metadata: true}.
   */
  EmulatorResponse imds(EmulatorRequest request) {
    if (!request.header("Metadata").filter("true"::equalsIgnoreCase).isPresent()) {
      return imdsError("invalid_request", "Required metadata header not specified");
    }
    if (request.queryParam("api-version").filter(v -> !v.isEmpty()).isEmpty()) {
      return imdsError("invalid_request", "Required query variable 'api-version' is missing");
    }
    Optional<String> resource = request.queryParam("resource").filter(r -> !r.isEmpty());
    if (resource.isEmpty()) {
      return imdsError("invalid_request", "Required query variable 'resource' is missing");
    }
    Optional<String> clientId = request.queryParam("client_id").filter(c -> !c.isEmpty());
    Identity identity = clientId.isPresent() ? userAssigned.get(clientId.get()) : systemAssigned;
    if (identity == null) {
      return imdsError("invalid_request", "Identity not found");
    }
    return EmulatorResponse.json(200, msiToken(identity, resource.get()));
  }

  /** {@code GET /host/token/?resource}, headers {@code podns} and {@code podname}. */
  EmulatorResponse nmi(EmulatorRequest request) {
    String namespace = request.header("podns").orElse("");
    String pod = request.header("podname").orElse("");
    if (namespace.isEmpty() || pod.isEmpty()) {
      return EmulatorResponse.text(400, "missing 'podname' and 'podns' from request header\n");
    }
    Optional<String> resource = request.queryParam("resource").filter(r -> !r.isEmpty());
    if (resource.isEmpty()) {
      return EmulatorResponse.text(400, "parameter resource cannot be empty\n");
    }
    Identity identity = pods.get(namespace + "/" + pod);
    if (identity == null) {
      return EmulatorResponse.text(
          404,
          "no AzureAssignedIdentity found for pod:"
              + ActiveDirectory.safe(namespace)
              + "/"
              + ActiveDirectory.safe(pod)
              + " in assigned state\n");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", msiToken(identity, resource.get()));
    body.put("clientid", identity.clientId());
    return EmulatorResponse.json(200, body);
  }

  /**
   * The MSI token format of IMDS (and of NMI's {@code token}): numbers as strings, expiry in epoch
   * seconds.
   */
  private Map<String, Object> msiToken(Identity identity, String resource) {
    ActiveDirectory.Issued issued =
        directory.issue(identity.tenant(), identity.clientId(), resource.replaceAll("/+$", ""));
    Instant now = Instant.now();
    Map<String, Object> token = new LinkedHashMap<>();
    token.put("access_token", issued.accessToken());
    token.put("refresh_token", "");
    token.put("expires_in", String.valueOf(issued.ttl().toSeconds()));
    token.put("expires_on", String.valueOf(issued.grant().expiresAt().getEpochSecond()));
    token.put("ext_expires_in", String.valueOf(issued.ttl().toSeconds()));
    token.put("not_before", String.valueOf(now.getEpochSecond()));
    token.put("resource", resource);
    token.put("token_type", "Bearer");
    token.put("client_id", identity.clientId());
    return token;
  }

  private static EmulatorResponse imdsError(String error, String description) {
    return EmulatorResponse.json(400, Map.of("error", error, "error_description", description));
  }
}
