package io.mosaspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The data-prep suites run end to end on a tiny corpus, spelled either way ({@code mosa bench tokenize
 * bpe-train} and the older {@code mosa bench prep --suite …}); figures are not checked: benchmarks are not tests.
 */
class PrepBenchCommandTest {

    private static SparkSession spark;

    @TempDir
    Path temp;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("prep-bench-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static int quietly(String... args) {
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            return new CommandLine(new BenchCommand()).execute(args);
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void writesBothSuitesWithProvenance() throws Exception {
        Path out = temp.resolve("bench.json");
        int code = quietly("tokenize", "bpe-train", "--mb", "0.3", "--vocab-size", "400", "--repeats", "1",
                "--partitions", "3", "--out", out.toString());
        assertEquals(0, code);
        JsonNode report = new ObjectMapper().readTree(out.toFile());
        JsonNode tokenize = report.get("suites").get("tokenize").get(0);
        assertTrue(tokenize.get("tokens").asLong() > 10_000, tokenize.toString());
        assertTrue(tokenize.get("ratio").asDouble() > 0, tokenize.toString());
        assertEquals("spark_mb_per_s", tokenize.get("metric").asText());
        assertEquals(400, report.get("suites").get("bpe-train").get(0).get("vocab_size").asInt());
        JsonNode provenance = report.get("provenance");
        assertEquals("bench", provenance.get("artifact").asText());
        assertEquals(1, provenance.get("inputs").size(), "both suites ran on the one corpus: " + provenance);
        assertEquals("zipf(seed=1337)", provenance.get("inputs").get(0).get("uri").asText());
        assertEquals(400, provenance.get("config").get("options").get("vocab-size").asInt());
        assertFalse(spark.sparkContext().isStopped(), "the running session is joined and left running");
    }

    @Test
    void theOldSpellingRunsTheSameSuites() throws Exception {
        Path out = temp.resolve("bench-prep.json");
        int code = quietly("prep", "--suite", "tokenize", "--mb", "0.2", "--repeats", "1", "--partitions", "2",
                "--out", out.toString());
        assertEquals(0, code);
        JsonNode report = new ObjectMapper().readTree(out.toFile());
        assertEquals(1, report.get("suites").size());
        assertEquals("spark-vs-jtokkit", report.get("suites").get("tokenize").get(0).get("result").asText());
        assertEquals("prep", report.get("provenance").get("config").get("args").get(0).asText());
        assertFalse(spark.sparkContext().isStopped());
    }

    @Test
    void unknownSuiteIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        assertNotEquals(0, cli.execute("prep", "--suite", "tokenise"));
        assertTrue(err.toString().contains("unknown suite 'tokenise'"), err.toString());
    }
}
