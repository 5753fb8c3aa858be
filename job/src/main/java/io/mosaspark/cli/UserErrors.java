package io.mosaspark.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How {@code mosa} reports what went wrong: one line naming the command and the problem, and an exit
 * code from {@link ExitCodes}. The stack trace goes to the log at debug level, and to the terminal with
 * the root option {@code --verbose} or {@code MOSA_VERBOSE=1}.
 *
 * <p>A usage error is picocli's {@link ParameterException} or an {@link IllegalArgumentException} from
 * any command. The modules signal bad input that way already (config records validate in their
 * constructors with it; "--input matched no files", "--out exists" throw it), so a new command, the
 * trainer included, needs no shared exception type to get exit code 2. It is also the right promise for
 * exit code 2: an illegal argument fails the same way on every rerun, while what exits 1 (I/O, Spark)
 * may pass on a retry. An IllegalArgumentException that is in fact a bug deep in a library is then
 * reported as a usage error too; its message still names it, and --verbose shows where it came from.
 */
public final class UserErrors {
    public static final String VERBOSE_OPTION = "--verbose";
    public static final String VERBOSE_ENV = "MOSA_VERBOSE";
    private static final Logger LOG = LoggerFactory.getLogger(UserErrors.class);

    private final CommandLine root;
    private final boolean verboseByEnvironment;

    private UserErrors(CommandLine root, Map<String, String> env) {
        this.root = root;
        String v = env.getOrDefault(VERBOSE_ENV, "");
        this.verboseByEnvironment = v.equals("1") || v.equalsIgnoreCase("true");
    }

    /** Sets the error handling of {@code root} and every command registered under it so far. */
    public static CommandLine install(CommandLine root, Map<String, String> env) {
        UserErrors errors = new UserErrors(root, env);
        return root.setParameterExceptionHandler(errors::usageError)
                .setExecutionExceptionHandler(errors::failure)
                .setExecutionStrategy(errors::rejectUnknownCommandThenRun);
    }

    /**
     * picocli ignores what it cannot match once --help is asked for: {@code mosa trian --help} would print
     * the root help and exit 0, as if the command existed.
     */
    private int rejectUnknownCommandThenRun(ParseResult parsed) {
        if (!parsed.hasSubcommand() && !parsed.unmatched().isEmpty()) {
            throw new UnmatchedArgumentException(root, parsed.unmatched());
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private int usageError(ParameterException e, String[] args) {
        PrintWriter err = root.getErr();
        if (e instanceof UnmatchedArgumentException u && u.getCommandLine() == root && isCommandName(u.getUnmatched())) {
            err.println(root.getCommandName() + ": unknown command '" + u.getUnmatched().get(0) + "'");
            err.println("Commands: " + String.join(", ", root.getSubcommands().keySet()));
            suggest(u, err);
            trace(root.getCommandName(), e, err);
            return ExitCodes.USAGE;
        }
        String command = commandName(e.getCommandLine());
        err.println(command + ": " + e.getMessage());
        if (e instanceof UnmatchedArgumentException u) {
            suggest(u, err);
        }
        err.println("See '" + command + " --help'.");
        trace(command, e, err);
        return ExitCodes.USAGE;
    }

    private int failure(Exception e, CommandLine commandLine, ParseResult parsed) {
        PrintWriter err = root.getErr();
        String command = commandName(commandLine);
        if (e instanceof IllegalArgumentException) {
            err.println(command + ": " + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()));
            trace(command, e, err);
            return ExitCodes.USAGE;
        }
        err.println(command + " failed: " + firstLine(e));
        trace(command, e, err);
        return ExitCodes.JOB_FAILED;
    }

    private static void suggest(UnmatchedArgumentException e, PrintWriter err) {
        if (!e.getSuggestions().isEmpty()) {
            err.println("Did you mean: " + String.join(", ", e.getSuggestions()) + "?");
        }
    }

    private static boolean isCommandName(List<String> unmatched) {
        return !unmatched.isEmpty() && !unmatched.get(0).startsWith("-");
    }

    /**
     * "mosa prepare", also for a ParameterException a command made with a CommandLine of its own (outside
     * the hierarchy): then the command that ran is the last one parsed.
     */
    private String commandName(CommandLine reported) {
        if (reported != null && reported.getCommandSpec().root() == root.getCommandSpec()) {
            return reported.getCommandSpec().qualifiedName();
        }
        ParseResult parsed = root.getParseResult();
        if (parsed == null) {
            return root.getCommandName();
        }
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return parsed.commandSpec().qualifiedName();
    }

    /** Spark's messages carry the remote stack trace after their first line; the trace is --verbose's job. */
    private static String firstLine(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getName();
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private void trace(String command, Exception e, PrintWriter err) {
        LOG.debug("{} failed", command, e);
        if (verbose()) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    private boolean verbose() {
        if (verboseByEnvironment) {
            return true;
        }
        ParseResult parsed = root.getParseResult();
        return parsed != null && parsed.hasMatchedOption(VERBOSE_OPTION);
    }
}
