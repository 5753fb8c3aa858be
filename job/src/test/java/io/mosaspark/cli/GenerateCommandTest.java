package io.mosaspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mosaspark.export.ModelTokenizer;
import io.mosaspark.prep.tokenize.TextTokenizer;
import io.mosaspark.train.checkpoint.ModelFiles;
import io.mosaspark.train.checkpoint.TrainedModel;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.mosaspark.cli.TinyTrainedRun.JSON;
import static io.mosaspark.cli.TinyTrainedRun.mosa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mosa generate} on the tiny run: greedy is argmax, sampling is a function of the seed, prompts are cut. */
class GenerateCommandTest {
    static TinyTrainedRun t;
    static int counter;

    @BeforeAll
    static void train() throws IOException {
        t = TinyTrainedRun.get();
    }

    /** Runs generate with {@code --out}; returns the JSON record, with stdout under "stdout". */
    static JsonNode generate(String... extra) throws IOException {
        Path out = t.root.resolve("generate-" + (counter++) + ".json");
        List<String> args = new ArrayList<>(List.of("generate", "--checkpoint", t.run.toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        TinyTrainedRun.Cli r = mosa(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        var record = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(out.toFile());
        record.put("stdout", r.out());
        return record;
    }

    static int[] ints(JsonNode array) {
        return JSON.convertValue(array, int[].class);
    }

    @Test
    void temperatureZeroTakesTheArgmaxOfAForwardPassAtEveryStep() throws IOException {
        JsonNode g = generate("--prompt", "the sparse attention", "--temperature", "0", "--max-tokens", "6");
        Configuration hadoop = new Configuration();
        TrainedModel model = TrainedModel.open(t.run.toString(), hadoop);
        TextTokenizer tokenizer = ModelTokenizer.load(model, hadoop);
        ComputationGraph graph = new ModelFiles(model.config()).network(model.readParams(hadoop));
        List<Integer> prefix = new ArrayList<>();
        for (int id : tokenizer.encode("the sparse attention")) prefix.add(id);
        List<Integer> expected = new ArrayList<>();
        for (int step = 0; step < 6; step++) {
            INDArray x = Nd4j.createFromArray(new int[][] {prefix.stream().mapToInt(Integer::intValue).toArray()})
                    .castTo(DataType.FLOAT);
            INDArray last = graph.outputSingle(x).get(NDArrayIndex.point(0), NDArrayIndex.point(prefix.size() - 1), NDArrayIndex.all());
            int argmax = last.argMax().getInt(0);
            expected.add(argmax);
            prefix.add(argmax);
            if (argmax == tokenizer.eotToken()) break;
        }
        assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), ints(g.get("generated_tokens")));
        int[] text = expected.stream().mapToInt(Integer::intValue).filter(id -> id != tokenizer.eotToken()).toArray();
        assertEquals(tokenizer.decode(text), g.get("text").asText());
        assertEquals(tokenizer.decode(text) + "\n", g.get("stdout").asText(), "stdout streams the same text");
    }

    @Test
    void samplingIsAFunctionOfTheSeed() throws IOException {
        String[] opts = {"--prompt", "the model", "--temperature", "1.5", "--top-k", "50", "--top-p", "0.95", "--max-tokens", "24"};
        JsonNode a = generate(concat(opts, "--seed", "11"));
        JsonNode b = generate(concat(opts, "--seed", "11"));
        JsonNode c = generate(concat(opts, "--seed", "12"));
        assertArrayEquals(ints(a.get("generated_tokens")), ints(b.get("generated_tokens")));
        assertEquals(a.get("stdout").asText(), b.get("stdout").asText());
        assertFalse(Arrays.equals(ints(a.get("generated_tokens")), ints(c.get("generated_tokens"))),
                "another seed, other tokens (24 draws at temperature 1.5)");
    }

    @Test
    void aPromptLongerThanSeqLenKeepsItsLastSeqLenTokens() throws IOException {
        String prompt = "the sparse attention head selects dense model cluster spark shard data token expert routing ".repeat(4);
        JsonNode g = generate("--prompt", prompt, "--temperature", "0", "--max-tokens", "1");
        Configuration hadoop = new Configuration();
        int[] all = ModelTokenizer.load(TrainedModel.open(t.run.toString(), hadoop), hadoop).encode(prompt);
        assertTrue(all.length > 32, "the prompt has " + all.length + " tokens");
        assertArrayEquals(Arrays.copyOfRange(all, all.length - 32, all.length), ints(g.get("context_tokens")));
    }

    @Test
    void anEmptyPromptStartsFromEndOfText() throws IOException {
        JsonNode g = generate("--temperature", "0", "--max-tokens", "2");
        Configuration hadoop = new Configuration();
        int eot = ModelTokenizer.load(TrainedModel.open(t.run.toString(), hadoop), hadoop).eotToken();
        assertArrayEquals(new int[] {eot}, ints(g.get("context_tokens")));
    }

    @Test
    void samplingParametersOutOfRangeAreRefusedNamingThem() {
        for (String[] bad : List.of(new String[] {"--temperature", "-1"}, new String[] {"--top-p", "0"},
                new String[] {"--top-p", "1.5"}, new String[] {"--top-k", "-3"}, new String[] {"--max-tokens", "0"})) {
            TinyTrainedRun.Cli r = mosa(concat(new String[] {"generate", "--checkpoint", t.run.toString()}, bad));
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.errorLines().size(), r.err());
            assertTrue(r.errorLines().get(0).contains(bad[0] + " = "), r.err());
        }
    }

    @Test
    void aCharacterSplitAcrossTokensIsPrintedWhole() {
        GenerateCommand.Utf8Pieces text = new GenerateCommand.Utf8Pieces();
        byte[] e = "\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8), emoji = "\ud83d\ude00".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("a", text.add(new byte[] {'a', e[0]}));
        assertEquals("\u00e9", text.add(new byte[] {e[1]}));
        assertEquals("", text.add(Arrays.copyOf(emoji, 3)));
        assertEquals("\ud83d\ude00b", text.add(new byte[] {emoji[3], 'b'}));
        assertEquals("", text.rest());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
