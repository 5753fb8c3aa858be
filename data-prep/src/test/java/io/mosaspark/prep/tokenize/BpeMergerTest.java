package io.mosaspark.prep.tokenize;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.synthetic.ZipfText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BpeMergerTest {

    /** Sennrich et al.'s example: low×5, lower×2, newest×6, widest×3. */
    @Test
    void knownCorpusGivesTheTextbookFirstMerges() {
        BpeMerger merger = merger(Map.of("low", 5L, "lower", 2L, "newest", 6L, "widest", 3L));
        merger.run(4, 1);
        // es and st are both seen 9 times: the tie goes to the smaller bytes, "e" < "s".
        assertEquals(List.of("es", "est", "lo", "low"), mergedStrings(merger));
    }

    @Test
    void resultDoesNotDependOnWordOrder() {
        Map<String, Long> corpus = Map.of("abab", 3L, "baba", 3L, "cdcd", 2L, "dcdc", 2L, "aaaa", 1L);
        byte[][] words = corpus.keySet().stream().map(w -> w.getBytes(UTF_8)).toArray(byte[][]::new);
        long[] counts = corpus.keySet().stream().mapToLong(corpus::get).toArray();
        BpeMerger forward = new BpeMerger(words, counts);
        forward.run(6, 1);
        byte[][] reversedWords = new byte[words.length][];
        long[] reversedCounts = new long[counts.length];
        for (int i = 0; i < words.length; i++) {
            reversedWords[i] = words[words.length - 1 - i];
            reversedCounts[i] = counts[counts.length - 1 - i];
        }
        BpeMerger backward = new BpeMerger(reversedWords, reversedCounts);
        backward.run(6, 1);
        assertEquals(forward.merges(), backward.merges());
        assertArrayEquals(TiktokenFile.write(forward.tokens()), TiktokenFile.write(backward.tokens()));
    }

    @Test
    void repeatedSymbolsMergeWithoutOverlap() {
        BpeMerger merger = merger(Map.of("aaaaa", 1L));
        merger.run(2, 1);
        // aaaaa -> aa aa a; then (aa, a) and (aa, aa) tie at 1 and "a" < "aa" decides.
        assertEquals(List.of("aa", "aaa"), mergedStrings(merger));
        assertEquals(List.of("aa", "aaa"), spelled(merger, 0));
    }

    @Test
    void stopsWhenNoPairIsFrequentEnough() {
        BpeMerger merger = merger(Map.of("ab", 3L, "cd", 1L));
        assertEquals(1, merger.run(10, 2));
        assertEquals(List.of("ab"), mergedStrings(merger));
    }

    /** JTokkit merges by rank; the trainer by merge order. On the training words they must agree. */
    @Test
    void jtokkitReproducesTheTrainersSpellingOfTrainingWords() {
        PreTokenizer split = new PreTokenizer(PreTokenizer.GPT2_PATTERN);
        ZipfText text = ZipfText.english(7);
        Map<String, Long> counts = new HashMap<>();
        for (int d = 0; d < 300; d++) {
            for (String piece : split.split(text.document(d, 3000))) {
                counts.merge(piece, 1L, Long::sum);
            }
        }
        for (String hostile : HostileText.SAMPLES) {
            for (String piece : split.split(hostile)) {
                counts.merge(piece, 1L, Long::sum);
            }
        }
        List<String> words = new ArrayList<>(counts.keySet());
        byte[][] bytes = words.stream().map(w -> w.getBytes(UTF_8)).toArray(byte[][]::new);
        BpeMerger merger = new BpeMerger(bytes, words.stream().mapToLong(counts::get).toArray());
        int created = merger.run(2000, 2);
        assertEquals(2000, created);
        TextTokenizer jtokkit = new BpeVocabulary(PreTokenizer.GPT2_PATTERN, merger.tokens(),
                List.of(BpeTrainingConfig.END_OF_TEXT)).toTokenizer();
        List<String> disagreements = new ArrayList<>();
        for (int w = 0; w < words.size(); w++) {
            int[] expected = merger.spelling(w);
            int[] actual = jtokkit.encode(words.get(w));
            if (!java.util.Arrays.equals(expected, actual)) {
                disagreements.add(words.get(w));
            }
        }
        assertEquals(List.of(), disagreements.subList(0, Math.min(10, disagreements.size())),
                disagreements.size() + " of " + words.size() + " words differ");
    }

    private static BpeMerger merger(Map<String, Long> corpus) {
        List<String> words = new ArrayList<>(corpus.keySet());
        words.sort(null);
        return new BpeMerger(words.stream().map(w -> w.getBytes(UTF_8)).toArray(byte[][]::new),
                words.stream().mapToLong(corpus::get).toArray());
    }

    private static List<String> mergedStrings(BpeMerger merger) {
        List<byte[]> tokens = merger.tokens();
        List<String> out = new ArrayList<>();
        for (BpeMerge merge : merger.merges()) {
            out.add(new String(tokens.get(merge.result()), UTF_8));
        }
        return out;
    }

    private static List<String> spelled(BpeMerger merger, int word) {
        List<String> out = new ArrayList<>();
        for (int id : merger.spelling(word)) {
            out.add(new String(merger.tokens().get(id), UTF_8));
        }
        assertTrue(out.size() > 0);
        return out;
    }
}
