package io.mosaspark.prep.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portable files of a pretrained encoding: JTokkit's rank file and a tokenizer.json whose merges
 * are recovered from the ranks. GPT-2's published merge list has exactly 50,000 entries, and a file with
 * a wrong merge would encode some text differently from JTokkit, in our reader of the format and, where
 * its Node binding is installed, in Hugging Face tokenizers itself.
 */
class TokenizerFilesTest {

    private static final List<String> TEXTS = List.of("Hello, world! It's 2024: 3.14159 \u00e9t\u00e9 \u4e2d\u6587",
            "  MoSA heads choose their tokens;\n\tdense heads see all of them.  ", "I'LL say 1234567 times\r\n\r\nok");

    @TempDir
    Path temp;

    @Test
    void r50kBaseGetsGpt2sMergesAndEncodesLikeJtokkit() throws Exception {
        HuggingFaceBpe hf = checkPretrained("r50k_base", 50_256);
        assertEquals(50_000, hf.merges(), "GPT-2's merges.txt lists 50,000 merges");
        assertEquals(50_256, hf.json().get("added_tokens").get(0).get("id").asInt());
    }

    @Test
    void cl100kBaseKeepsItsSpecialIdsWithTheirGapAndEncodesLikeJtokkit() throws Exception {
        HuggingFaceBpe hf = checkPretrained("cl100k_base", 100_256);
        assertEquals(100_000, hf.merges());
        JsonNode added = hf.json().get("added_tokens");
        assertEquals(List.of(100_257, 100_258, 100_259, 100_260, 100_276),
                java.util.stream.StreamSupport.stream(added.spliterator(), false).map(a -> a.get("id").asInt()).toList());
    }

    /** The files of {@code name}: JTokkit's own rank file, and a tokenizer.json that encodes as JTokkit does. */
    private HuggingFaceBpe checkPretrained(String name, int ranks) throws Exception {
        Map<String, byte[]> files = TokenizerFiles.portable(TokenizerSpec.parse(name), new Configuration());
        assertEquals(List.of(TokenizerFiles.RANKS, TokenizerFiles.HUGGING_FACE), List.copyOf(files.keySet()));
        assertEquals(PretrainedEncoding.byName(name).orElseThrow().sha256(), new Sha256().update(files.get(TokenizerFiles.RANKS)).hex());
        HuggingFaceBpe hf = HuggingFaceBpe.read(files.get(TokenizerFiles.HUGGING_FACE));
        assertEquals(ranks, hf.vocabularySize());
        TextTokenizer jtokkit = TokenizerSpec.parse(name).load();
        for (String text : TEXTS) {
            assertArrayEquals(jtokkit.encode(text), hf.encode(text), name + ": " + text);
            assertEquals(text, hf.decode(hf.encode(text)));
        }
        String modules = HuggingFaceBpe.officialNodeModules(); // the library itself, where installed
        if (modules != null && Files.isDirectory(Path.of(modules, "tokenizers"))) {
            Path json = temp.resolve(name + ".json");
            Files.write(json, files.get(TokenizerFiles.HUGGING_FACE));
            JsonNode official = HuggingFaceBpe.encodeWithOfficialLibrary(modules, json, TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(jtokkit.encode(TEXTS.get(i)), new ObjectMapper().convertValue(official.get(i).get("ids"), int[].class),
                        name + " in Hugging Face tokenizers: " + TEXTS.get(i));
            }
        }
        return hf;
    }

    @Test
    void o200kBaseIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenizerFiles.portable(TokenizerSpec.parse("o200k_base"), new Configuration()));
        assertTrue(e.getMessage().contains("o200k_base"), e.getMessage());
    }
}
