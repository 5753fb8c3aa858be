package io.mosaspark.prep.tokenize;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every invalid configuration or file is refused with a message naming the key or line and the fix. */
class InvalidTokenizerInputTest {

    private static final BpeTrainingConfig OK = BpeTrainingConfig.defaults();

    @Test
    void vocabSizeOutOfRange() {
        refused(() -> OK.withVocabSize(257), "vocab_size", "[258, ");
        refused(() -> OK.withVocabSize(2_000_000), "vocab_size", "1048576");
        assertEquals(258, OK.withVocabSize(258).vocabSize());
    }

    @Test
    void specialTokensMustIncludeEndOfTextAndBeDelimited() {
        refused(() -> OK.withSpecialTokens(List.of("<|pad|>")), "special_tokens", "<|endoftext|>");
        refused(() -> OK.withSpecialTokens(List.of("<|endoftext|>", "<|endoftext|>")), "special_tokens", "distinct");
        refused(() -> OK.withSpecialTokens(List.of("<|endoftext|>", "[PAD]")), "special_tokens", "<|name|>");
        refused(() -> OK.withSpecialTokens(null), "special_tokens");
    }

    @Test
    void patternMustCompileAndCoverAllText() {
        refused(() -> OK.withPattern("(unclosed"), "pattern", "not a valid");
        refused(() -> OK.withPattern("\\p{L}+"), "pattern", "gap at offset 5");
        refused(() -> OK.withPattern(""), "pattern");
        assertEquals(PreTokenizer.CL100K_PATTERN, OK.withPattern("cl100k").pattern());
    }

    @Test
    void frequencyAndCapMustBePositive() {
        refused(() -> OK.withMinPairFrequency(0), "min_pair_frequency", ">= 1");
        refused(() -> OK.withMaxDistinctWords(0), "max_distinct_words");
    }

    @Test
    void malformedRankFilesNameTheLine() {
        refused(() -> TiktokenFile.read("AA== 0\nAQ==1\n".getBytes(US_ASCII), "t.tiktoken"), "t.tiktoken line 2");
        refused(() -> TiktokenFile.read("AA== 0\nAQ== 2\n".getBytes(US_ASCII), "t.tiktoken"), "line 2", "rank 2");
        refused(() -> TiktokenFile.read("AA== 0\nAA== 1\n".getBytes(US_ASCII), "t.tiktoken"), "line 2", "repeats");
        refused(() -> TiktokenFile.read("A!== 0\n".getBytes(US_ASCII), "t.tiktoken"), "line 1");
        refused(() -> TiktokenFile.read("AA== x\n".getBytes(US_ASCII), "t.tiktoken"), "line 1");
    }

    @Test
    void vocabularyNeedsTheBytesFirst() {
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(new byte[] {(byte) (255 - b)});
        }
        refused(() -> new BpeVocabulary("gpt2", tokens, List.of("<|endoftext|>")), "rank 0", "single byte 0");
        refused(() -> new BpeVocabulary("gpt2", tokens.subList(0, 10), List.of("<|endoftext|>")), "256");
    }

    @Test
    void rankFileRoundTrips() {
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(new byte[] {(byte) b});
        }
        tokens.add(new byte[] {'h', 'i'});
        List<byte[]> read = TiktokenFile.read(TiktokenFile.write(tokens), "x");
        assertEquals(257, read.size());
        assertEquals("hi", new String(read.get(256), US_ASCII));
    }

    private static void refused(Executable action, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::execute);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention '" + fragment + "'");
        }
    }

    @FunctionalInterface
    private interface Executable {
        void execute() throws Throwable;
    }
}
