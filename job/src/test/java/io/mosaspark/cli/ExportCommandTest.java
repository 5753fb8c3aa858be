package io.mosaspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mosaspark.model.checkpoint.LmSafeTensors;
import io.mosaspark.model.flops.ParameterCount;
import io.mosaspark.model.lm.NextTokenBatch;
import io.mosaspark.prep.tokenize.HuggingFaceBpe;
import io.mosaspark.prep.tokenize.TextTokenizer;
import io.mosaspark.prep.tokenize.TokenizerSpec;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.checkpoint.TrainedModel;
import io.mosaspark.train.state.FlatVector;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.mosaspark.cli.TinyTrainedRun.JSON;
import static io.mosaspark.cli.TinyTrainedRun.mosa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mosa export} of the tiny run: the files, the card, the tokenizer formats, and PyTorch loading the weights. */
class ExportCommandTest {
    static TinyTrainedRun t;
    static Path export;

    @BeforeAll
    static void trainAndExport() throws IOException {
        t = TinyTrainedRun.get();
        export = t.root.resolve("export");
        TinyTrainedRun.Cli r = mosa("export", "--checkpoint", t.run.toString(), "--out", export.toString());
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void theExportHoldsItsFilesAndNothingElse() throws IOException {
        try (Stream<Path> s = Files.list(export)) {
            assertEquals(List.of("MODEL_CARD.md", "config.json", "model-card.json", "model.safetensors", "tokenizer-meta.json",
                    "tokenizer.json", "tokenizer.tiktoken"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> s = Files.list(t.root)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary left behind");
        }
    }

    @Test
    void theWeightsAreTheRunsUnderTheCanonicalNames() throws IOException {
        Configuration hadoop = new Configuration();
        TrainedModel model = TrainedModel.open(t.run.toString(), hadoop);
        ComputationGraph g = LmSafeTensors.read(export.resolve("model.safetensors"), model.config().training(), DataType.FLOAT);
        assertEquals(model.readParams(hadoop), FlatVector.copyOf(g.params()));
        assertEquals(model.config().model(), LmSafeTensors.readConfig(export.resolve("model.safetensors")));
    }

    @Test
    void theModelCardSaysWhatTheModelIsAndWhereItCameFrom() throws IOException {
        JsonNode card = JSON.readTree(export.resolve("model-card.json").toFile());
        JsonNode summary = t.summary();
        TrainConfig config = JSON.treeToValue(summary.get("config"), TrainConfig.class);
        assertEquals(summary.get("run").asText(), card.get("preset").asText());
        assertTrue(card.get("preset").asText().contains("cpu-demo"), card.get("preset").asText());
        assertEquals(ParameterCount.of(config.model()).total(), card.get("parameters").asLong());
        assertEquals(summary.get("parameters").asLong(), card.get("parameters").asLong());
        assertEquals(summary.get("flops_per_token_forward").asLong(), card.get("flops_per_token_forward").asLong());
        assertEquals(summary.get("tokens_seen").asLong(), card.get("tokens_seen").asLong());
        assertEquals(summary.get("val_perplexity").asDouble(), card.get("validation").get("perplexity").asDouble(), 1e-12);
        assertEquals(320, card.get("tokenizer").get("vocabSize").asInt());
        assertTrue(card.get("data").get("source").asText().contains(t.shards.toString()), card.get("data").toString());

        // the provenance chain: export ← final model ← shard set
        Provenance export = JSON.treeToValue(card.get("provenance"), Provenance.class);
        Provenance weights = LmSafeTensors.readProvenance(t.run.resolve("model.safetensors"));
        assertEquals("export", export.artifact());
        assertEquals(List.of(weights), export.parents());
        assertTrue(export.find("shard-set").isPresent(), "the shard set's provenance is in the export's");
        assertEquals(export, LmSafeTensors.readProvenance(ExportCommandTest.export.resolve("model.safetensors")),
                "the exported weights carry the export's provenance");
        card.get("files").fieldNames().forEachRemaining(f -> assertTrue(Files.exists(ExportCommandTest.export.resolve(f)), f));
        String md = Files.readString(ExportCommandTest.export.resolve("MODEL_CARD.md"));
        for (String fact : List.of(card.get("preset").asText(), String.format(java.util.Locale.ROOT, "%,d", card.get("parameters").asLong()),
                String.format(java.util.Locale.ROOT, "perplexity %.4f", summary.get("val_perplexity").asDouble()), "shard-set")) {
            assertTrue(md.contains(fact), "MODEL_CARD.md lacks '" + fact + "'");
        }
    }

    @Test
    void aCheckpointExportsWithItsRoundsValidationAndProvenance() throws IOException {
        Path out = t.root.resolve("export-round-1");
        TinyTrainedRun.Cli r = mosa("export", "--checkpoint", t.checkpoint(1).toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode card = JSON.readTree(out.resolve("model-card.json").toFile());
        assertEquals(1, card.get("round").asInt());
        double logged = t.loggedValLoss(1);
        assertEquals(logged, card.get("validation").get("loss").asDouble(), 0.0, "the eval line of its round");
        Provenance p = JSON.treeToValue(card.get("provenance"), Provenance.class);
        assertEquals("checkpoint", p.parents().get(0).artifact());
        assertTrue(p.find("shard-set").isPresent());
    }

    @Test
    void anExistingOutIsRefusedAndLeftAlone() throws IOException {
        long before = Files.getLastModifiedTime(export.resolve("model-card.json")).toMillis();
        TinyTrainedRun.Cli r = mosa("export", "--checkpoint", t.run.toString(), "--out", export.toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.errorLines().size(), r.err());
        assertTrue(r.errorLines().get(0).contains(export.toString()) && r.errorLines().get(0).contains("exists"), r.err());
        assertEquals(before, Files.getLastModifiedTime(export.resolve("model-card.json")).toMillis());
    }

    /**
     * tokenizer.json is a byte-level BPE in Hugging Face's format: every vocabulary entry spells the bytes
     * of the same rank in tokenizer.tiktoken, and encoding by its merges, as the tokenizers library does,
     * gives our tokenizer's ids.
     */
    @Test
    void theTokenizerFilesAreTheRunsTokenizerInBothFormats() throws Exception {
        TextTokenizer ours = TokenizerSpec.trained(t.run.resolve("tokenizer").toString()).load(new Configuration());
        HuggingFaceBpe hf = HuggingFaceBpe.read(Files.readAllBytes(export.resolve("tokenizer.json")));
        List<String> ranks = Files.readAllLines(export.resolve("tokenizer.tiktoken"));
        assertEquals(ranks.size(), hf.vocabularySize());
        for (String line : ranks) {
            String[] f = line.split(" ");
            assertArrayEquals(Base64.getDecoder().decode(f[0]), hf.bytesOf(Integer.parseInt(f[1])), line);
        }
        assertEquals(ours.eotToken(), hf.json().get("added_tokens").get(0).get("id").asInt());
        List<String> texts = List.of("the sparse attention head selects the token", "doc 12: expert routing, dense model!",
                "unseen words: \u00fcber caf\u00e9 \u4e2d\u6587 42");
        for (String text : texts) {
            assertArrayEquals(ours.encode(text), hf.encode(text), text);
            assertEquals(text, hf.decode(ours.encode(text)));
        }
        // and, where its Node binding is installed (data-prep's tests install it from npm), the library itself
        String modules = HuggingFaceBpe.officialNodeModules();
        if (modules == null || !Files.isDirectory(Path.of(modules, "tokenizers"))) {
            System.out.println("Hugging Face tokenizers not installed: tokenizer.json checked by structure and our reader only");
            return;
        }
        JsonNode official = HuggingFaceBpe.encodeWithOfficialLibrary(modules, export.resolve("tokenizer.json"), texts);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(ours.encode(texts.get(i)), JSON.convertValue(official.get(i).get("ids"), int[].class), texts.get(i));
            assertEquals(texts.get(i), official.get(i).get("text").asText());
        }
    }

    /** PyTorch (bench/torch_mosa.py) loads the exported weights and scores a fixed batch as we do. */
    @Test
    void pytorchLoadsTheWeightsAndComputesOurLossAndLogits() throws Exception {
        Optional<String> python = pythonWithTorch();
        Assumptions.assumeTrue(python.isPresent(), "no python3 with torch here (Debian: apt-get install python3-torch; "
                + ".ci/run installs it): the PyTorch interop check is skipped");
        int[][] windows = new int[2][33];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int[] w : windows) for (int i = 0; i < w.length; i++) w[i] = rnd.nextInt(320);
        Path tokens = t.root.resolve("interop-tokens.json");
        JSON.writeValue(tokens.toFile(), windows);

        ComputationGraph g = LmSafeTensors.read(export.resolve("model.safetensors"),
                TrainedModel.open(t.run.toString(), new Configuration()).config().training(), DataType.FLOAT);
        double ourLoss = g.score(NextTokenBatch.of(Nd4j.createFromArray(windows), DataType.FLOAT), false);
        INDArray inputs = Nd4j.createFromArray(windows).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 32)).dup().castTo(DataType.FLOAT);
        float[] ourLogits = g.outputSingle(inputs).reshape(-1).toFloatVector();

        Process p = new ProcessBuilder(python.get(), "../bench/torch_mosa.py", "--load-safetensors",
                export.resolve("model.safetensors").toString(), "--tokens", tokens.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        JsonNode torch = JSON.readTree(out);
        assertEquals("torch.float32", torch.get("dtype").asText());
        double lossDiff = Math.abs(torch.get("loss").asDouble() - ourLoss);
        double maxLogitDiff = 0;
        JsonNode theirs = torch.get("logits");
        assertEquals(ourLogits.length, theirs.size());
        for (int i = 0; i < ourLogits.length; i++) maxLogitDiff = Math.max(maxLogitDiff, Math.abs(theirs.get(i).asDouble() - ourLogits[i]));
        System.out.printf("torch interop: loss ours %.9f torch %.9f |diff| %.3g; logits max |diff| %.3g over %d%n",
                ourLoss, torch.get("loss").asDouble(), lossDiff, maxLogitDiff, ourLogits.length);
        assertTrue(lossDiff <= 1e-5, "loss: ours " + ourLoss + ", PyTorch " + torch.get("loss").asDouble());
        assertTrue(maxLogitDiff <= 1e-4, "logits differ by up to " + maxLogitDiff);
    }

    /** Debian's torch lives in the system interpreter; a pyenv python3 first on PATH usually lacks it. */
    private static Optional<String> pythonWithTorch() {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) return Optional.of(candidate);
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
        return Optional.empty();
    }
}
