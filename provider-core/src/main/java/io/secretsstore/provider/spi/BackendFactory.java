// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.mount.ProviderException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A secret store the provider can mount from, before it starts. Each backend module has exactly one
 * public class implementing this, registered in {@code META-INF/services}; {@code serve --backend
 * NAME} picks the one whose {@link #name()} matches, parses its flags into {@link #options()} and
 * calls {@link #start} once, which returns the {@link SecretBackend} that serves. Everything core
 * needs to know about a backend before that (its name, flags, settings, token audiences) is asked
 * here, so core names no backend.
 */
public interface BackendFactory {

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
   * ProviderException#refusedBySetting}), so the migration check can read them from a chart values
   * file.
   */
  default List<OperatorSetting> operatorSettings() {
    return List.of();
  }

  /**
   * The audiences of the service-account tokens {@code sync} requests for a SecretSync when the
   * operator names none ({@code --token-request-audience}): the ones this backend's identity
   * federation expects by default. Empty when there is no fixed one (the operator must name it).
   */
  default List<String> defaultAudiences() {
    return List.of();
  }

  /**
   * Every audience this backend's chart lists in the CSIDriver's tokenRequests, which the migration
   * check assumes pods have tokens for; by default {@link #defaultAudiences()}.
   */
  default List<String> chartAudiences() {
    return defaultAudiences();
  }

  /**
   * Starts the backend with its flags as parsed: opens its clients and threads. Called once after
   * flags are parsed and before the first mount; the caller closes what it returns.
   */
  SecretBackend start(BackendContext context) throws Exception;

  /**
   * Instead of {@link #start}, for the migration check: reads the flags as start does but opens no
   * client, thread, file or cluster connection. The returned backend's {@link SecretBackend#plan}
   * makes every parameter and operator-policy check it makes when serving; what it would look up in
   * the cluster or on the node (a service-account annotation, the node's region, a file a
   * SecretProviderClass names) is assumed to be there, and the fetcher of the plan it returns must
   * never be called.
   *
   * @throws UnsupportedOperationException when the backend has no dry run
   */
  default SecretBackend startDryRun(BackendContext context) {
    throw new UnsupportedOperationException("the " + name() + " backend has no dry run");
  }
}
