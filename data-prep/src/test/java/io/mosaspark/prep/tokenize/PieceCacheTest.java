package io.mosaspark.prep.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import io.mosaspark.prep.synthetic.ZipfText;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Piece-by-piece encoding with the cache gives exactly JTokkit's tokens for the whole text. */
class PieceCacheTest {
    /** Characters whose neighbourhoods the split regexes treat specially. */
    private static final String[] ALPHABET = {"a", "Z", "é", "ß", "中", "文", "ש", "0", "7", "٣", " ", "  ", "\t", "\n",
        "\r\n", "\r", "\u00a0", "\u3000", "\u2028", "'", "'s", "'LL", "'re", "'d", "’", "-", ".", ",", "!", "?", "$",
        "\ud83d\ude00", "\ud83d\udc68\u200d\ud83d\udc69", "\u0301", "\u200d", "\u0000", "\u001f", "\ud800", "<|endoftext|>",
        "123456", "don't", "HELLO", "  \n  ", "/", "\\", "_"};

    private static List<String> texts() {
        Random random = new Random(20261122);
        List<String> texts = new ArrayList<>(HostileText.SAMPLES);
        for (int i = 0; i < 4000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(40);
            for (int j = 0; j < n; j++) {
                b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            texts.add(b.toString());
        }
        ZipfText zipf = ZipfText.english(5);
        for (int d = 0; d < 100; d++) {
            texts.add(zipf.document(d, 4000));
        }
        return texts;
    }

    @ParameterizedTest
    @EnumSource(value = PretrainedEncoding.class, names = {"R50K_BASE", "CL100K_BASE", "O200K_BASE"})
    void cachedEncodingEqualsJtokkitOnTheWholeText(PretrainedEncoding pretrained) {
        TextTokenizer ours = pretrained.load();
        Encoding raw = Encodings.newLazyEncodingRegistry().getEncoding(pretrained.encodingName()).orElseThrow();
        List<String> texts = texts();
        for (int pass = 0; pass < 2; pass++) { // the second pass is served from the cache
            for (String text : texts) {
                int[] expected = raw.encodeOrdinary(PreTokenizer.repairSurrogates(text)).toArray();
                assertArrayEquals(expected, ours.encode(text), () -> pretrained + " differs on '" + escape(text) + "'");
            }
        }
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.toString();
    }
}
