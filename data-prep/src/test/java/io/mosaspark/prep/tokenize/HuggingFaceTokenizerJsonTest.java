package io.mosaspark.prep.tokenize;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.prep.synthetic.ZipfText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tokenizer.json must load in Hugging Face {@code tokenizers}. Its structure is checked here always;
 * when {@code MOSA_HF_TOKENIZERS_NODE_MODULES} names a node_modules directory holding the official
 * Node binding ({@code npm install tokenizers}), the real library also loads it and must encode
 * like JTokkit.
 */
class HuggingFaceTokenizerJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    static TrainedBpe train(String pattern, int vocabSize) {
        PreTokenizer split = new PreTokenizer(pattern);
        ZipfText text = ZipfText.english(3);
        Map<String, Long> counts = new HashMap<>();
        List<String> docs = new ArrayList<>(HostileText.SAMPLES);
        for (int d = 0; d < 200; d++) {
            docs.add(text.document(d, 2000));
        }
        for (String doc : docs) {
            for (String piece : split.split(doc)) {
                counts.merge(piece, 1L, Long::sum);
            }
        }
        String[] words = counts.keySet().stream().sorted().toArray(String[]::new);
        long[] n = java.util.Arrays.stream(words).mapToLong(counts::get).toArray();
        WordCounts table = new WordCounts(words, n, docs.size(), 0, words.length);
        BpeTrainingConfig config = BpeTrainingConfig.defaults().withVocabSize(vocabSize).withPattern(pattern);
        return new BpeTrainer(config).learn(table, "zipf-200", 0);
    }

    @Test
    void gpt2SplitUsesTheByteLevelPreTokenizer() throws IOException {
        TrainedBpe trained = train("gpt2", 900);
        JsonNode root = JSON.readTree(HuggingFaceTokenizerJson.write(trained.vocabulary(), trained.merges()));
        assertStructure(root, trained);
        JsonNode pre = root.get("pre_tokenizer");
        assertEquals("ByteLevel", pre.get("type").asText());
        assertTrue(pre.get("use_regex").asBoolean());
        assertEquals(false, pre.get("add_prefix_space").asBoolean());
    }

    @Test
    void otherSplitsBecomeARegexSplitBeforeByteLevel() throws IOException {
        TrainedBpe trained = train("cl100k", 900);
        JsonNode root = JSON.readTree(HuggingFaceTokenizerJson.write(trained.vocabulary(), trained.merges()));
        assertStructure(root, trained);
        JsonNode steps = root.get("pre_tokenizer").get("pretokenizers");
        assertEquals(PreTokenizer.CL100K_PATTERN, steps.get(0).get("pattern").get("Regex").asText());
        assertEquals("Isolated", steps.get(0).get("behavior").asText());
        assertEquals(false, steps.get(1).get("use_regex").asBoolean());
    }

    private static void assertStructure(JsonNode root, TrainedBpe trained) {
        JsonNode model = root.get("model");
        assertEquals("BPE", model.get("type").asText());
        JsonNode vocab = model.get("vocab");
        assertEquals(trained.vocabulary().tokens().size(), vocab.size());
        assertEquals(0, vocab.get("\u0100").asInt(), "byte 0 is U+0100 in GPT-2's alphabet");
        assertEquals(32, vocab.get("\u0120").asInt(), "the space is \u0120");
        assertEquals(33, vocab.get("!").asInt());
        JsonNode merges = model.get("merges");
        assertEquals(trained.merges().size(), merges.size());
        for (JsonNode merge : merges) {
            String[] parts = merge.asText().split(" ");
            assertEquals(2, parts.length, merge.asText());
            assertTrue(vocab.has(parts[0]) && vocab.has(parts[1]) && vocab.has(parts[0] + parts[1]), merge.asText());
        }
        JsonNode eot = root.get("added_tokens").get(0);
        assertEquals("<|endoftext|>", eot.get("content").asText());
        assertEquals(trained.vocabulary().eotToken(), eot.get("id").asInt());
        assertTrue(eot.get("special").asBoolean());
        assertEquals("ByteLevel", root.get("decoder").get("type").asText());
    }

    @Test
    void huggingFaceTokenizersEncodesLikeJtokkit() throws Exception {
        String modules = HuggingFaceBpe.officialNodeModules();
        assumeTrue(modules != null && Files.isDirectory(Path.of(modules, "tokenizers")),
                "no Hugging Face tokenizers for Node: npm could not install it and MOSA_HF_TOKENIZERS_NODE_MODULES is unset");
        for (String pattern : List.of("gpt2", "cl100k")) {
            TrainedBpe trained = train(pattern, 900);
            Path dir = temp.resolve("tok-" + pattern);
            trained.save(dir.toString(), new Configuration());
            // Hugging Face always splits added tokens out of the text; we encode them as ordinary text
            // (encodeOrdinary), so texts spelling special tokens legitimately differ and are left out.
            List<String> texts = new ArrayList<>(HostileText.SAMPLES.stream().filter(t -> !t.contains("<|")).toList());
            texts.add(ZipfText.english(99).document(0, 3000));
            JsonNode results = HuggingFaceBpe.encodeWithOfficialLibrary(modules, dir.resolve("tokenizer.json"), texts);
            TextTokenizer jtokkit = trained.toTokenizer();
            for (int i = 0; i < texts.size(); i++) {
                int[] hf = JSON.convertValue(results.get(i).get("ids"), int[].class);
                assertArrayEquals(jtokkit.encode(texts.get(i)), hf, pattern + ": text " + i);
                assertEquals(texts.get(i), results.get(i).get("text").asText(), pattern + ": text " + i);
            }
        }
    }
}
