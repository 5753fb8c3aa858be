package io.mosaspark.prep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.prep.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bench command runs end to end on a tiny corpus (figures are not checked: benchmarks are not tests). */
class PrepBenchCommandTest {

    @TempDir
    Path temp;

    @Test
    void writesBothSuitesWithProvenance() throws Exception {
        SharedSpark.session(); // the command joins it and must leave it running
        Path out = temp.resolve("bench.json");
        int code = new CommandLine(new PrepBenchCommand()).execute("--mb", "0.3", "--vocab-size", "400",
                "--repeats", "1", "--partitions", "3", "--out", out.toString());
        assertEquals(0, code);
        JsonNode report = new ObjectMapper().readTree(out.toFile());
        assertEquals("tokenize", report.get("results").get(0).get("suite").asText());
        assertEquals("bpe-train", report.get("results").get(1).get("suite").asText());
        JsonNode tokenize = report.get("results").get(0);
        assertTrue(tokenize.get("details").get("tokens").asLong() > 10_000);
        assertTrue(tokenize.get("ratio").asDouble() > 0);
        assertEquals(400, report.get("results").get(1).get("details").get("vocab_size").asInt());
        assertEquals("zipf(seed=1337)", report.get("provenance").get("corpus").asText());
        assertTrue(!SharedSpark.session().sparkContext().isStopped(), "the shared session survives");
    }

    @Test
    void unknownSuiteIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PrepBenchCommand()).setErr(new PrintWriter(err));
        assertNotEquals(0, cli.execute("--suite", "tokenise"));
        assertTrue(err.toString().contains("unknown suite 'tokenise'"), err.toString());
    }

    @Test
    void generatedTextIsDeterministicAndTextLike() {
        ZipfText a = ZipfText.english(5);
        String doc = a.document(42, 2000);
        assertEquals(doc, ZipfText.english(5).document(42, 2000));
        assertNotEquals(doc, a.document(43, 2000));
        assertTrue(doc.length() >= 1900 && doc.contains(" ") && Character.isUpperCase(doc.charAt(0)), doc);
    }
}
