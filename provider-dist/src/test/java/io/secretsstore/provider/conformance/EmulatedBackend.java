// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.grpc.ProviderClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A backend's emulator seeded by its {@link CaseBook}, with the flags a provider needs for it, for
 * tests outside this package (the hostile-tenant suite) that run their own provider process.
 * Requests are built for a pod of either tenant the case book admits.
 */
public final class EmulatedBackend implements AutoCloseable {
  /** The canary pod's namespace, whose identity every case book admits. */
  public static final String FIRST_TENANT = CaseBook.NAMESPACE;

  /** A second namespace with an identity of its own (see {@link CaseBook#SECOND_TENANT}). */
  public static final String SECOND_TENANT = CaseBook.SECOND_TENANT;

  private final ProviderUnderTest provider;

  private EmulatedBackend(ProviderUnderTest provider) {
    this.provider = provider;
  }

  /**
   * Starts the emulator of {@code backend} (aws, azure, gcp, vault); aborts the test when its case
   * book admits no second tenant.
   */
  public static EmulatedBackend start(String backend) throws IOException {
    CaseBook book =
        switch (backend) {
          case "aws" -> new AwsCases();
          case "azure" -> new AzureCases();
          case "gcp" -> new GcpCases();
          case "vault" -> new VaultCases();
          default -> throw new IllegalArgumentException("no case book for backend " + backend);
        };
    Assumptions.assumeTrue(
        book.admitsSecondTenant(), () -> "the " + backend + " case book admits no second tenant");
    return new EmulatedBackend(ProviderUnderTest.start(book, EngineSettings.DEFAULT));
  }

  public String backend() {
    return provider.book.backend();
  }

  /** The provider's flags for this emulator ({@code serve --backend} adds the rest). */
  public List<String> flags() {
    return provider.flags;
  }

  /** The emulator, for faults and call counts. */
  public CloudEmulator emulator() {
    return provider.emulator;
  }

  /** Stores (or rotates) the secret behind object {@code name}. */
  public void put(String name, String value) {
    provider.book.put(provider.emulator, name, value);
  }

  /** The objects parameter listing these secrets with default file names and modes. */
  public String objects(String... names) {
    return provider.book.objects(
        Arrays.stream(names).map(provider.book::object).toArray(String[]::new));
  }

  /** The emulator's operation name for reading one object. */
  public String readOperation() {
    return provider.book.readOperation();
  }

  /** The emulator's operation name for exchanging the pod token. */
  public String loginOperation() {
    return provider.book.loginOperation();
  }

  /** How the emulator names the resource of object {@code name}, to fault that object alone. */
  public String resource(String name) {
    return provider.book.resource(name);
  }

  /** A real pod token of {@code namespace}'s pod, which the emulator accepts. */
  public String token(String namespace) {
    return provider.book.token(provider.emulator, namespace, CaseBook.SERVICE_ACCOUNT);
  }

  /**
   * The driver's attributes for a pod of {@code namespace} (service account {@link
   * CaseBook#SERVICE_ACCOUNT}) called {@code pod}, carrying {@code token}, with the backend's
   * parameters, then {@code parameters} (which may replace them), and these objects.
   */
  public Map<String, String> attributes(
      String namespace, String pod, String token, Map<String, String> parameters, String objects) {
    Map<String, String> attributes = provider.attributes(objects);
    attributes.putAll(parameters);
    attributes.put("csi.storage.k8s.io/pod.namespace", namespace);
    attributes.put("csi.storage.k8s.io/pod.name", pod);
    attributes.put(
        "csi.storage.k8s.io/pod.uid",
        UUID.nameUUIDFromBytes((namespace + "/" + pod).getBytes(StandardCharsets.UTF_8))
            .toString());
    attributes.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        ProviderUnderTest.tokens(
            provider.book.audience(), token, Instant.now().plusSeconds(3600).toString()));
    return attributes;
  }

  /** A MountRequest as the driver sends it for these attributes. */
  public static ProviderClient.MountCall call(Map<String, String> attributes) {
    return ProviderUnderTest.call(attributes);
  }

  /** The canaries planted in requests and secrets, plus the canary pod's real token. */
  public String[] canaries() {
    return provider.canaries();
  }

  @Override
  public void close() throws IOException {
    provider.close();
  }
}
