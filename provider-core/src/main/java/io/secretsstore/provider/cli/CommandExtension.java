// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

/**
 * A subcommand contributed by another module (the emulators, the demo), found with {@link
 * java.util.ServiceLoader} so that core never depends on the modules that extend its CLI.
 */
public interface CommandExtension {
  /** The subcommand's name, e.g. {@code emulators}. */
  String name();

  /** A new picocli command object (annotated with {@code @Command}). */
  Object command();
}
