package io.mosaspark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mosa} command: one entry point for every stage, locally ({@code ./mosa}) and on a
 * cluster ({@code spark-submit --class io.mosaspark.cli.Mosa}). Every command lives in this package, a
 * thin driver over the library class of its stage; this class only puts them under one name.
 */
@Command(name = "mosa", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prepare corpora and train Mixture-of-Sparse-Attention language models on Spark.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Mosa implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: see 'mosa help'");
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Mosa())
                .addSubcommand(new PrepareCommand())
                .addSubcommand(new InspectCommand())
                .addSubcommand(new TrainCommand())
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
