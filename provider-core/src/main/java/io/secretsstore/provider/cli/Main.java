// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.ProviderVersion;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.mount.ProviderException;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one executable: {@code serve}, {@code sync}, {@code mount}, {@code migrate-check}, {@code
 * version}, and the extensions found.
 */
@Command(
    name = "secrets-store-provider",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "A provider for the Kubernetes Secrets Store CSI driver: AWS, Azure, GCP and Vault.")
public final class Main {

  /** Runs a command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with every subcommand, core's and the extensions'. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::reportFailure);
    cli.addSubcommand(ServeCommand.commandLine());
    cli.addSubcommand(SyncCommand.commandLine());
    cli.addSubcommand(new MountCommand());
    cli.addSubcommand(new ConformanceCommand());
    cli.addSubcommand(new VersionCommand());
    cli.addSubcommand(new FingerprintsCommand());
    cli.addSubcommand(MigrateCheckCommand.commandLine());
    for (CommandExtension extension : ServiceLoader.load(CommandExtension.class)) {
      cli.addSubcommand(extension.name(), extension.command());
    }
    return cli;
  }

  /**
   * Reports a command's failure in one line for the errors an operator can fix (bad flags, a socket
   * path in use), and without exception messages for anything else, since a library's message may
   * quote secret input.
   */
  private static int reportFailure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    if (e instanceof IllegalArgumentException
        || e instanceof java.io.IOException
        || e instanceof ProviderException) {
      cli.getErr().println("error: " + e.getMessage());
    } else {
      cli.getErr().println("error: unexpected failure\n" + SafeThrowables.describe(e));
    }
    return 1;
  }

  /** Supplies {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"secrets-store-provider " + ProviderVersion.get()};
    }
  }
}
