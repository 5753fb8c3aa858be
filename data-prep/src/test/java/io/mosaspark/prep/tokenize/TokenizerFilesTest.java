package io.mosaspark.prep.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The portable files of a pretrained encoding: JTokkit's rank file and a tokenizer.json whose merges
 * are recovered from the ranks. GPT-2's published merge list has exactly 50,000 entries, and a file with
 * a wrong merge would encode some text differently from JTokkit.
 */
class TokenizerFilesTest {

    @Test
    void r50kBaseGetsGpt2sMergesAndEncodesLikeJtokkit() throws Exception {
        Map<String, byte[]> files = TokenizerFiles.portable(TokenizerSpec.parse("r50k_base"), new Configuration());
        assertEquals(List.of(TokenizerFiles.RANKS, TokenizerFiles.HUGGING_FACE), List.copyOf(files.keySet()));
        HuggingFaceBpe hf = HuggingFaceBpe.read(files.get(TokenizerFiles.HUGGING_FACE));
        assertEquals(50_256, hf.vocabularySize());
        assertEquals(50_000, hf.merges(), "GPT-2's merges.txt lists 50,000 merges");
        assertEquals(50_256, hf.json().get("added_tokens").get(0).get("id").asInt());
        TextTokenizer jtokkit = TokenizerSpec.parse("r50k_base").load();
        for (String text : List.of("Hello, world! It's 2024: 3.14159 \u00e9t\u00e9 \u4e2d\u6587",
                "  MoSA heads choose their tokens;\n\tdense heads see all of them.  ")) {
            assertArrayEquals(jtokkit.encode(text), hf.encode(text), text);
            assertEquals(text, hf.decode(hf.encode(text)));
        }
    }

    @Test
    void o200kBaseIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenizerFiles.portable(TokenizerSpec.parse("o200k_base"), new Configuration()));
        assertTrue(e.getMessage().contains("o200k_base"), e.getMessage());
    }
}
