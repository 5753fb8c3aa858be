package io.mosaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** What a user sees when a command goes wrong: one line, exit 2 for the command line, 1 for the job. */
class UserErrorsTest {
    @TempDir
    Path tmp;

    /**
     * A stopped session stays this thread's active session, and prepare takes an active session for one a
     * host owns and leaves it running: forgotten here, so that no later test finds a session of ours.
     */
    @AfterEach
    void forgetStoppedSparkSessions() {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        void assertNoStackTrace() {
            assertFalse(err.contains("\tat "), "stack trace printed:\n" + err);
        }
    }

    private static Run run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run mosa(String... args) {
        return run(Mosa.commandLine(), args);
    }

    @Test
    void anUnknownCommandExits2ListingTheCommandsWithOrWithoutHelp() {
        // 'trian', not 'train': a train command is coming, a misspelling never will be
        for (String[] args : new String[][] {{"trian"}, {"trian", "--help"}, {"--help", "trian"}, {"trian", "-x"}}) {
            Run r = mosa(args);
            assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", args));
            assertEquals("mosa: unknown command 'trian'", r.errLines().get(0));
            assertTrue(r.err().contains("Commands: ") && r.err().contains("prepare") && r.err().contains("inspect"),
                    r.err());
            assertEquals("", r.out(), "no root help as if the command existed");
        }
        Run option = mosa("--frob");
        assertEquals(ExitCodes.USAGE, option.code());
        assertTrue(option.err().startsWith("mosa: Unknown option: '--frob'"), option.err());
    }

    @Test
    void helpAndVersionStillExit0() {
        Run help = mosa("--help");
        assertEquals(ExitCodes.OK, help.code());
        assertTrue(help.out().contains("Exit codes") && help.out().contains(UserErrors.VERBOSE_OPTION), help.out());
        Run prepareHelp = mosa("prepare", "--help");
        assertEquals(ExitCodes.OK, prepareHelp.code());
        assertTrue(prepareHelp.out().contains("--input"), prepareHelp.out());
    }

    @Test
    void anInvalidOptionValueIsOneLineAndExit2() {
        Run r = mosa("prepare", "--input", "x", "--out", tmp.resolve("out").toString(), "--val-fraction", "2");
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("mosa prepare: --val-fraction must be in [0, 1), got 2.0", r.errLines().get(0));
        assertEquals("See 'mosa prepare --help'.", r.errLines().get(1));
        r.assertNoStackTrace();
    }

    @Test
    void anOutputThatExistsIsOneLineAndExit2() throws IOException {
        Path in = Files.writeString(tmp.resolve("in.jsonl"), "{\"text\": \"x\"}\n");
        Path out = Files.createDirectories(tmp.resolve("taken"));
        Run r = mosa("prepare", "--input", in.toString(), "--out", out.toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("mosa prepare: --out ") && r.err().contains("already exists"), r.err());
    }

    @Test
    void anInputMatchingNoFilesIsOneLineAndExit2() {
        Run r = mosa("prepare", "--input", tmp.resolve("*.nothing").toString(), "--out",
                tmp.resolve("out").toString(), "--master", "local[1]");
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("matched no files"), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aFailedJobIsOneLineAndExit1() throws IOException {
        Path broken = tmp.resolve("broken.jsonl.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(broken))) {
            gz.write("{\"text\": \"one\"}\n".repeat(5000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(broken);
        Files.write(broken, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // cut short: unreadable
        Run r = mosa("prepare", "--input", broken.toString(), "--out", tmp.resolve("out").toString(),
                "--master", "local[1]");
        assertEquals(ExitCodes.JOB_FAILED, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("mosa prepare failed: cannot read input file ") && r.err().contains("broken.jsonl.gz")
                && r.err().contains("--skip-bad-files"), r.err());
    }

    @Command(name = "explode")
    static final class Explode implements Callable<Integer> {
        @CommandLine.Option(names = "--bad-argument")
        boolean badArgument;

        @Override
        public Integer call() {
            if (badArgument) {
                throw new IllegalArgumentException("--bad-argument: no such thing");
            }
            throw new IllegalStateException("disk on fire\nRemote stack trace:\n\tat somewhere.else(Remote.java:1)",
                    new IOException("the cause"));
        }
    }

    private static CommandLine withExplode(Map<String, String> env) {
        return UserErrors.install(Mosa.commands().addSubcommand(new Explode()), env);
    }

    @Test
    void anyCommandsFailureIsItsFirstLineAndTheTraceComesWithVerbose() {
        Run quiet = run(withExplode(Map.of()), "explode");
        assertEquals(ExitCodes.JOB_FAILED, quiet.code());
        assertEquals(List.of("mosa explode failed: disk on fire"), quiet.errLines());

        Run usage = run(withExplode(Map.of()), "explode", "--bad-argument");
        assertEquals(ExitCodes.USAGE, usage.code());
        assertEquals(List.of("mosa explode: --bad-argument: no such thing"), usage.errLines());

        for (Run verbose : List.of(run(withExplode(Map.of()), "--verbose", "explode"),
                run(withExplode(Map.of(UserErrors.VERBOSE_ENV, "1")), "explode"))) {
            assertEquals(ExitCodes.JOB_FAILED, verbose.code());
            assertEquals("mosa explode failed: disk on fire", verbose.errLines().get(0));
            assertTrue(verbose.err().contains("java.lang.IllegalStateException: disk on fire")
                    && verbose.err().contains("\tat io.mosaspark.cli.UserErrorsTest$Explode.call")
                    && verbose.err().contains("Caused by: java.io.IOException: the cause"), verbose.err());
        }
    }

    @Test
    void theTraceIsLoggedAtDebugLevel() {
        try (CapturedLog log = CapturedLog.of(UserErrors.class)) {
            run(withExplode(Map.of()), "explode");
            assertTrue(log.debugThrowables().stream().anyMatch(t -> "the cause".equals(t.getCause().getMessage())),
                    "no debug event carrying the exception");
        }
    }
}
