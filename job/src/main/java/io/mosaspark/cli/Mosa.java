package io.mosaspark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mosa} command: one entry point for every stage, locally ({@code ./mosa}) and on a
 * cluster ({@code spark-submit --class io.mosaspark.cli.Mosa}). Every command lives in this package, a
 * thin driver over the library class of its stage; this class only puts them under one name, and reports
 * their errors the same way ({@link UserErrors}).
 */
@Command(name = "mosa", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prepare corpora and train Mixture-of-Sparse-Attention language models on Spark.",
        subcommands = {CommandLine.HelpCommand.class},
        exitCodeListHeading = "Exit codes (every command):%n",
        exitCodeList = {"0:done", "1:the job failed (rerun once the cause is fixed)",
                "2:the command cannot run as given (unknown command or option, invalid value, no input, output exists)"},
        footer = {"", "Errors are one line; " + UserErrors.VERBOSE_OPTION + " or " + UserErrors.VERBOSE_ENV
                + "=1 adds the stack trace.",
                "", "Launcher options (./mosa only, before COMMAND):",
                "  --profile NAME   spark-submit with a profile of conf/spark/profiles: local,",
                "                   standalone[-gpu], yarn[-gpu], k8s[-gpu]",
                "  --master URL     spark-submit to URL (profile from its scheme if not given)",
                "  --conf K=V       a Spark setting (locally: a -D system property)",
                "  --dry-run        print the command line instead of running it",
                "Without --profile or --master, COMMAND runs in this JVM, Spark in local mode.",
                "Every command has --help; docs/configuration.md lists profiles and presets."})
public final class Mosa implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Read by {@link UserErrors} from the parse result: the errors happen in subcommands. */
    @CommandLine.Option(names = UserErrors.VERBOSE_OPTION,
            description = "Print the stack trace with an error (or set " + UserErrors.VERBOSE_ENV + "=1).")
    boolean verbose;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: see 'mosa help'");
    }

    /** Every command under {@code mosa}, with the error reporting of {@link UserErrors}. */
    public static CommandLine commandLine() {
        return UserErrors.install(commands(), System.getenv());
    }

    static CommandLine commands() {
        return new CommandLine(new Mosa())
                .addSubcommand(new PrepareCommand())
                .addSubcommand(new InspectCommand())
                .addSubcommand(new TrainCommand())
                .addSubcommand(new RetrainCommand())
                .addSubcommand(new RegistryCommand())
                .addSubcommand(new EvalCommand())
                .addSubcommand(new GenerateCommand())
                .addSubcommand(new ExportCommand())
                .addSubcommand(new ReportCommand())
                .addSubcommand(new QuickstartCommand())
                .addSubcommand(new TrainLocalCommand())
                .addSubcommand(new ParityCommand())
                .addSubcommand(CheckoutOnly.bench(Mosa.class.getClassLoader()));
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
