package io.mosaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.PrepConfig;
import io.mosaspark.prep.SharedSpark;
import io.mosaspark.provenance.CodeVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code mosa prepare} as users call it: help, version, options to config, exit codes of errors caught before
 * Spark starts, and running inside a host that owns Spark.
 */
class PrepareCommandTest {

    @Test
    void helpDocumentsEveryOptionWithItsDefaultAndTheExitCodes() {
        // lines are wrapped at 80 columns: compare with whitespace collapsed
        String help = new CommandLine(new PrepareCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");
        for (String option : new String[] {"--input", "--out", "--format", "--text-field", "--tokenizer",
                "--val-fraction", "--shard-tokens", "--min-chars", "--max-chars", "--skip-bad-files", "--overwrite",
                "--name", "--seed", "--master", "--split-bytes"}) {
            assertTrue(help.contains(option), option + " missing from help:\n" + help);
        }
        for (String text : new String[] {"Default: jsonl", "Default: r50k_base", "Default: 0.01", "Default: 100000000",
                "Default: 1337", "Default: corpus", "train:<vocab>", "s3a://", "Exit codes:"}) {
            assertTrue(help.contains(text), "'" + text + "' missing from help:\n" + help);
        }
    }

    @Test
    void versionNamesTheCodeVersionManifestsRecord() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new PrepareCommand()).setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--version"));
        assertEquals(CodeVersion.current().toString(), out.toString().strip());
    }

    @Test
    void leavesASparkSessionItDidNotStartRunning(@TempDir Path tmp) throws IOException {
        SparkSession host = SharedSpark.session();
        Path in = Files.writeString(tmp.resolve("in.jsonl"), "{\"text\":\"hello\"}\n{\"text\":\"world\"}\n");
        Path out = tmp.resolve("out");

        assertEquals(0, PrepareCommand.execute("--input", in.toString(), "--out", out.toString(),
                "--val-fraction", "0", "--name", "cli"));

        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertFalse(host.sparkContext().isStopped(), "the host's SparkSession was stopped by the command");
        assertEquals(3, host.range(3).count());
    }

    @Test
    void cliBuildsTheSameConfigAsTheRecordDefaults() {
        PrepareCommand cmd = new PrepareCommand();
        new CommandLine(cmd).parseArgs("--input", "in/*.jsonl", "--out", "out");
        assertEquals(PrepConfig.defaults(List.of("in/*.jsonl"), "out"), cmd.toConfig());
    }

    /** The old name still works (scripts written before --out), and without either the command is refused. */
    @Test
    void theOldOutputNameStillSetsTheOutputAndNeitherIsRefused() {
        PrepareCommand old = new PrepareCommand();
        new CommandLine(old).parseArgs("--input", "in/*.jsonl", "--output", "out");
        assertEquals(PrepConfig.defaults(List.of("in/*.jsonl"), "out"), old.toConfig());
        PrepareCommand none = new PrepareCommand();
        new CommandLine(none).parseArgs("--input", "in/*.jsonl");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, none::toConfig);
        assertTrue(e.getMessage().contains("--out=DIR"), e.getMessage());
        assertEquals(2, PrepareCommand.execute("--input", "x"));
    }

    @Test
    void existingOutputFailsBeforeSparkStarts(@TempDir Path tmp) {
        assertEquals(1, PrepareCommand.execute("--input", "x", "--out", tmp.toString()));
    }

    @Test
    void badCliOptionsExitWithUsageErrorBeforeSparkStarts() {
        assertEquals(2, PrepareCommand.execute("--input", "x", "--out", "y", "--val-fraction", "2"));
        assertEquals(2, PrepareCommand.execute("--out", "y"));
        assertEquals(2, PrepareCommand.execute("--input", "x", "--out", "y", "--format", "csv"));
        assertEquals(2, PrepareCommand.execute("--input", "x", "--out", "y", "--tokenizer", "train:big"));
    }
}
