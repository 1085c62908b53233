// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.mount.OperatorSetting;

import io.secretsstore.provider.mount.ProviderException;

import io.secretsstore.provider.mount.MountRequestContext;
import org.jspecify.annotations.Nullable;

/**
 * A secret store the provider can mount from. Each backend module has exactly one public class
 * implementing this, registered in {@code META-INF/services}; {@code serve --backend NAME} picks
 * the one whose {@link #name()} matches.
 *
 * <p>Core owns everything that is the same for every backend: request parsing, path and mode
 * rules, object and size caps, parallel fetching under a deadline, all-or-nothing, and the mapping
 * of errors to gRPC codes. A backend only parses its parameters and fetches objects.
 */
public interface SecretBackend extends AutoCloseable {

  /** The name used by {@code --backend} and in {@code runtime_name}, e.g. {@code vault}. */
  String name();

  /**
   * A picocli-annotated object whose options are added to {@code serve}, or null when the backend
   * has no flags of its own. Its option names must start with the backend name.
   */
  default @Nullable Object options() {
    return null;
  }

  /**
   * The operator settings this backend's refusals can name ({@link
   * ProviderException#refusedBySetting}), so the migration check can read them from a chart
   * values file.
   */
  default java.util.List<OperatorSetting> operatorSettings() {
    return java.util.List.of();
  }

  /** Called once after flags are parsed and before the first mount. */
  default void start(BackendContext context) throws Exception {}

  /**
   * Instead of {@link #start}, for the migration check: reads the flags as start does but opens no
   * client, thread, file or cluster connection. {@link #plan} then makes every parameter and
   * operator-policy check it makes when serving; what it would look up in the cluster or on the
   * node (a service-account annotation, the node's region, a file a SecretProviderClass names) is
   * assumed to be there, and the fetcher of the plan it returns must never be called.
   *
   * @throws UnsupportedOperationException when the backend has no dry run
   */
  default void startDryRun(BackendContext context) {
    throw new UnsupportedOperationException("the " + name() + " backend has no dry run");
  }

  /**
   * Parses the SecretProviderClass parameters of one request into a plan. Pure: no network, no
   * files. Errors are {@link ProviderException}s of kind INVALID_ARGUMENT naming the parameter, or
   * UNAUTHENTICATED when the pod token the backend needs is missing or expired.
   */
  MountPlan<?> plan(MountRequestContext request);

  /**
   * Why the backend cannot serve mounts right now (its endpoint unreachable, probe credentials
   * not obtainable), or empty when it can. Backs {@code /readyz}; called at most every few seconds,
   * so it may make one cheap call (a health endpoint). The reason is shown to anyone who can reach
   * the health port: no addresses' credentials, no tokens.
   */
  default java.util.Optional<String> readinessProblem() {
    return java.util.Optional.empty();
  }

  @Override
  default void close() {}
}
