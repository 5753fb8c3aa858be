package io.mosaspark.prep.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PretrainedEncodingTest {

    @Test
    void r50kEncodesHelloWorldAsGpt2Does() {
        TextTokenizer r50k = TokenizerSpec.parse("r50k_base").load();
        assertArrayEquals(new int[] {15496, 995}, r50k.encode("Hello world"));
        assertEquals(50256, r50k.eotToken());
        assertEquals(50257, r50k.vocabSize());
        assertEquals("r50k_base", r50k.type());
    }

    @Test
    void eotIdsOfEveryEncoding() {
        assertEquals(100257, TokenizerSpec.parse("cl100k_base").load().eotToken());
        assertEquals(199999, TokenizerSpec.parse("o200k_base").load().eotToken());
    }

    @ParameterizedTest
    @EnumSource(PretrainedEncoding.class)
    void hostileUnicodeRoundTrips(PretrainedEncoding encoding) {
        TextTokenizer tokenizer = TokenizerSpec.pretrained(encoding).load();
        for (String text : HostileText.SAMPLES) {
            int[] tokens = tokenizer.encode(text);
            assertTrue(Arrays.stream(tokens).allMatch(t -> t >= 0 && t < tokenizer.vocabSize()));
            assertEquals(text, tokenizer.decode(tokens), () -> encoding + " broke " + abbreviate(text));
        }
    }

    @ParameterizedTest
    @EnumSource(PretrainedEncoding.class)
    void specialTokenTextInDocumentsIsOrdinaryText(PretrainedEncoding encoding) {
        TextTokenizer tokenizer = TokenizerSpec.pretrained(encoding).load();
        int[] tokens = tokenizer.encode("a <|endoftext|> b");
        assertFalse(Arrays.stream(tokens).anyMatch(t -> t == tokenizer.eotToken()), Arrays.toString(tokens));
        assertEquals("a <|endoftext|> b", tokenizer.decode(tokens));
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        TextTokenizer tokenizer = TokenizerSpec.parse("cl100k_base").load();
        assertEquals("a\uFFFDb\uFFFD", tokenizer.decode(tokenizer.encode("a\uD800b\uDC00")));
        assertEquals("\uFFFD\uD83D\uDE00", tokenizer.decode(tokenizer.encode("\uDE00\uD83D\uDE00")));
    }

    @Test
    void decodeBytesIsExactEvenInsideACharacter() {
        TextTokenizer tokenizer = TokenizerSpec.parse("r50k_base").load();
        int[] tokens = tokenizer.encode("\uD840\uDC0B"); // U+2000B, UTF-8 F0 A0 80 8B
        assertTrue(tokens.length > 1, "r50k spells this character with several byte tokens");
        byte[] first = tokenizer.decodeBytes(new int[] {tokens[0]});
        assertTrue(first.length < 4);
        assertEquals((byte) 0xF0, first[0]);
        assertEquals("\uFFFD", tokenizer.decode(new int[] {tokens[0]}).substring(0, 1));
    }

    @Test
    void decodeRefusesIdsOutsideTheVocabulary() {
        TextTokenizer tokenizer = TokenizerSpec.parse("r50k_base").load();
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.decode(new int[] {1, 50257}));
        assertTrue(tooBig.getMessage().contains("token 1 is 50257"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}));
        // cl100k has unused ids between its ranks and its special tokens.
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> TokenizerSpec.parse("cl100k_base").load().decode(new int[] {100262}));
        assertTrue(gap.getMessage().contains("cl100k_base"), gap.getMessage());
    }

    @Test
    void loadIsCachedPerJvm() {
        assertSame(TokenizerSpec.parse("o200k_base").load(), TokenizerSpec.parse(" o200k_base ").load());
    }

    @Test
    void sha256NamesTheRankFile() {
        String r50k = TokenizerSpec.parse("r50k_base").sha256();
        assertEquals(64, r50k.length());
        assertEquals(r50k, TokenizerSpec.parse("r50k_base").sha256());
        assertNotEquals(r50k, TokenizerSpec.parse("cl100k_base").sha256());
    }

    @Test
    void specParsesEncodingsAndDirectories() {
        assertEquals(TokenizerSpec.pretrained(PretrainedEncoding.CL100K_BASE), TokenizerSpec.parse("cl100k_base"));
        TokenizerSpec dir = TokenizerSpec.parse("hdfs://nn:8020/tok/v1");
        assertFalse(dir.isPretrained());
        assertEquals("hdfs://nn:8020/tok/v1", dir.toString());
        assertEquals(dir, TokenizerSpec.parse(dir.toString()));
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> TokenizerSpec.parse(" "));
        assertTrue(blank.getMessage().contains("r50k_base"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TokenizerSpec(PretrainedEncoding.R50K_BASE, "/x"));
    }

    @Test
    void unknownNameIsReportedAsAMissingTokenizerDirectory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenizerSpec.parse("/nonexistent/r5k_base").load());
        assertTrue(e.getMessage().contains("tokenizer.tiktoken") && e.getMessage().contains("r50k_base"), e.getMessage());
    }

    private static String abbreviate(String text) {
        return text.length() < 80 ? text : text.substring(0, 80) + "...";
    }
}
