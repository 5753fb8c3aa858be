package io.mosaspark.prep.tokenize;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.prep.SharedSpark;
import io.mosaspark.prep.synthetic.ZipfText;
import io.mosaspark.provenance.CodeVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {

    private static final int VOCAB = 700;
    private static final BpeTrainingConfig CONFIG = BpeTrainingConfig.defaults().withVocabSize(VOCAB)
            .withSpecialTokens(List.of("<|endoftext|>", "<|pad|>"));
    private static List<String> corpus;
    private static TrainedBpe trained;

    @TempDir
    static Path temp;

    @BeforeAll
    static void train() {
        ZipfText text = ZipfText.english(11);
        corpus = new ArrayList<>(IntStream.range(0, 250).mapToObj(d -> text.document(d, 2000)).toList());
        corpus.addAll(HostileText.SAMPLES);
        trained = new BpeTrainer(CONFIG).train(documents(2), "zipf-250");
    }

    private static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
    }

    private static JavaRDD<String> documents(int partitions) {
        return context().parallelize(corpus, partitions);
    }

    @Test
    void vocabularyHasTheExactSizeWithSpecialsLast() {
        TextTokenizer tokenizer = trained.toTokenizer();
        assertEquals(VOCAB, tokenizer.vocabSize());
        assertEquals(VOCAB - 2, trained.vocabulary().tokens().size());
        assertEquals(VOCAB - 2, tokenizer.eotToken());
        assertEquals(VOCAB - 1, trained.vocabulary().specialId("<|pad|>"));
        assertEquals("<|endoftext|><|pad|>", tokenizer.decode(new int[] {VOCAB - 2, VOCAB - 1}));
    }

    @Test
    void provenanceCountsTheInput() {
        TrainingProvenance p = trained.provenance();
        assertEquals(corpus.size(), p.inputDocuments());
        assertEquals(corpus.stream().mapToLong(d -> d.getBytes(UTF_8).length).sum(), p.inputBytes());
        assertEquals(CONFIG, p.config());
        assertEquals("zipf-250", p.input());
        assertTrue(p.keptWords() > 100 && p.keptWords() == p.distinctWords());
    }

    @Test
    void sameRankFileWhateverThePartitioning() {
        byte[] expected = TiktokenFile.write(trained.vocabulary().tokens());
        for (int partitions : new int[] {1, 7}) {
            TrainedBpe again = new BpeTrainer(CONFIG).train(documents(partitions), "zipf-250");
            assertArrayEquals(expected, TiktokenFile.write(again.vocabulary().tokens()), partitions + " partitions");
            assertEquals(trained.merges(), again.merges());
        }
    }

    @Test
    void trainedTokenizerRoundTripsHostileUnicode() {
        TextTokenizer tokenizer = trained.toTokenizer();
        for (String text : HostileText.SAMPLES) {
            int[] tokens = tokenizer.encode(text);
            assertTrue(Arrays.stream(tokens).allMatch(t -> t >= 0 && t < VOCAB - 2), "no special ids from text");
            assertEquals(text, tokenizer.decode(tokens));
        }
        assertEquals("\uFFFDok", tokenizer.decode(tokenizer.encode("\uDBFFok")));
        String doc = corpus.get(3);
        int[] tokens = tokenizer.encode(doc);
        assertTrue(tokens.length < doc.getBytes(UTF_8).length / 2, "merges compress the training text");
    }

    @Test
    void capKeepsTheMostFrequentWords() {
        BpeTrainingConfig capped = CONFIG.withVocabSize(300).withMaxDistinctWords(50);
        TrainedBpe small = new BpeTrainer(capped).train(documents(3), "zipf-250");
        assertEquals(50, small.provenance().keptWords());
        assertEquals(trained.provenance().distinctWords(), small.provenance().distinctWords());
        // Reference: count on the driver, keep the top 50 (count desc, then word), learn from those.
        PreTokenizer split = new PreTokenizer("gpt2");
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        corpus.forEach(doc -> split.split(doc).forEach(w -> counts.merge(w, 1L, Long::sum)));
        String[] top = counts.keySet().stream()
                .sorted(java.util.Comparator.<String>comparingLong(counts::get).reversed()
                        .thenComparing(java.util.Comparator.naturalOrder()))
                .limit(50).sorted().toArray(String[]::new);
        WordCounts table = new WordCounts(top, Arrays.stream(top).mapToLong(counts::get).toArray(), 0, 0, 0);
        assertEquals(new BpeTrainer(capped).learn(table, "reference", 0).merges(), small.merges());
        assertFalse(Arrays.asList(top).contains("x".repeat(20_000)), "a once-seen long word is not in the top 50");
    }

    @Test
    void tooSmallCorpusIsRefusedWithTheReachableSize() {
        JavaRDD<String> tiny = context().parallelize(List.of("ab ab ab", "cd"), 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new BpeTrainer(BpeTrainingConfig.defaults()).train(tiny, "tiny"));
        assertTrue(e.getMessage().contains("vocab_size") && e.getMessage().contains("tiny"), e.getMessage());
    }

    @Test
    void savedDirectoryLoadsBackThroughASpec() throws IOException {
        String dir = temp.resolve("tok-save").toUri().toString();
        TokenizerSpec spec = trained.save(dir, new Configuration());
        assertEquals(List.of("tokenizer-meta.json", "tokenizer.json", "tokenizer.tiktoken"), list(temp.resolve("tok-save")));
        TextTokenizer loaded = spec.load();
        assertEquals("bpe", loaded.type());
        assertEquals(VOCAB, loaded.vocabSize());
        for (String doc : corpus.subList(0, 20)) {
            assertArrayEquals(trained.toTokenizer().encode(doc), loaded.encode(doc));
        }
        String sha = spec.sha256();
        assertEquals(64, sha.length());
        assertEquals(sha, TokenizerSpec.parse(dir).sha256());
        // An identical training saves identical defining files, hence the same hash.
        String dir2 = temp.resolve("tok-save-2").toString();
        new BpeTrainer(CONFIG).train(documents(5), "zipf-250").save(dir2, new Configuration());
        assertEquals(sha, TokenizerSpec.parse(dir2).sha256());
        assertNotEquals(sha, TokenizerSpec.parse("r50k_base").sha256());
    }

    @Test
    void rankFileIsTiktokenFormat() throws IOException {
        Path dir = temp.resolve("tok-format");
        trained.save(dir.toString(), new Configuration());
        List<String> lines = Files.readAllLines(dir.resolve("tokenizer.tiktoken"), UTF_8);
        assertEquals(VOCAB - 2, lines.size());
        assertEquals("AA== 0", lines.get(0));
        assertEquals("IA== 32", lines.get(32));
        assertTrue(lines.get(256).matches("[A-Za-z0-9+/=]+ 256"), lines.get(256));
        JsonNode meta = new ObjectMapper().readTree(dir.resolve("tokenizer-meta.json").toFile());
        assertEquals(VOCAB - 2, meta.get("special_tokens").get("<|endoftext|>").asInt());
        assertEquals(PreTokenizer.GPT2_PATTERN, meta.get("pattern").asText());
        assertEquals(1337, meta.get("training").get("config").get("seed").asLong());
        assertEquals(corpus.size(), meta.get("training").get("input_documents").asLong());
        assertEquals(CodeVersion.current().toString(), meta.get("training").get("code_version").asText());
        JsonNode provenance = meta.get("provenance");
        assertEquals("tokenizer", provenance.get("artifact").asText());
        assertEquals(CodeVersion.current().toString(), provenance.get("code_version").asText());
        assertEquals(1337, provenance.get("config").get("seed").asLong());
        assertEquals(meta.get("training").get("input_bytes").asLong(), provenance.get("inputs").get(0).get("bytes").asLong());
    }

    @Test
    void saveNeverOverwrites() throws IOException {
        Path dir = temp.resolve("tok-exists");
        Files.createDirectories(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trained.save(dir.toString(), new Configuration()));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(List.of(), list(dir));
        try (var siblings = Files.list(temp)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temp dir left");
        }
    }

    @Test
    void tamperedRankFileIsRefused() throws IOException {
        Path dir = temp.resolve("tok-tampered");
        trained.save(dir.toString(), new Configuration());
        Path ranks = dir.resolve("tokenizer.tiktoken");
        Files.writeString(ranks, Files.readString(ranks).replace("AA== 0", "AQ== 0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenizerSpec.trained(dir.toString()).load());
        assertTrue(e.getMessage().contains("tokenizer.tiktoken") && e.getMessage().contains("changed after training"),
                e.getMessage());
    }

    static List<String> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
