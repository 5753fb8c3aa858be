package io.mosaspark.prep.tokenize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizers} file ({@code Tokenizer.from_file}): a BPE model over GPT-2's
 * byte-level alphabet, merges in training order, special tokens as added tokens.
 *
 * <p>GPT-2's split is exactly the ByteLevel pre-tokenizer's own regex; any other split becomes a
 * Split(regex, Isolated) followed by ByteLevel without its regex (as Llama 3's file does for cl100k's
 * split). Hugging Face runs regexes with Oniguruma: patterns using Java-only syntax will not load there.
 */
final class HuggingFaceTokenizerJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HuggingFaceTokenizerJson() {
    }

    static byte[] write(BpeVocabulary vocabulary, List<BpeMerge> merges) {
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (String special : vocabulary.specialTokens()) specials.put(special, vocabulary.specialId(special));
        return write(vocabulary.pattern(), vocabulary.tokens(), merges, specials);
    }

    /**
     * The same for any byte-level BPE: its split regex, token bytes by rank, merges in rank order and
     * special tokens with their ids (which, unlike a {@link BpeVocabulary}'s, may leave gaps, as
     * cl100k_base's do).
     */
    static byte[] write(String pattern, List<byte[]> tokens, List<BpeMerge> merges, Map<String, Integer> specials) {
        ObjectNode root = NODES.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (Map.Entry<String, Integer> special : specials.entrySet()) {
            ObjectNode token = added.addObject();
            token.put("id", special.getValue());
            token.put("content", special.getKey());
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("normalized", false);
            token.put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", preTokenizer(pattern));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(true, true));
        root.set("model", model(tokens, merges));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Could not write tokenizer.json", e);
        }
    }

    private static ObjectNode preTokenizer(String pattern) {
        if (pattern.equals(PreTokenizer.GPT2_PATTERN)) {
            return byteLevel(false, true);
        }
        ObjectNode sequence = NODES.objectNode().put("type", "Sequence");
        ArrayNode steps = sequence.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", pattern);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        steps.add(byteLevel(false, false));
        return sequence;
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean useRegex) {
        return NODES.objectNode()
                .put("type", "ByteLevel")
                .put("add_prefix_space", addPrefixSpace)
                .put("trim_offsets", true)
                .put("use_regex", useRegex);
    }

    private static ObjectNode model(List<byte[]> tokens, List<BpeMerge> merges) {
        ObjectNode model = NODES.objectNode();
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int rank = 0; rank < tokens.size(); rank++) {
            vocab.put(GptByteLevelAlphabet.spell(tokens.get(rank)), rank);
        }
        // "left right" strings: the form every tokenizers version reads; byte-level tokens never hold a space.
        ArrayNode mergeList = model.putArray("merges");
        for (BpeMerge merge : merges) {
            mergeList.add(GptByteLevelAlphabet.spell(tokens.get(merge.left())) + " "
                    + GptByteLevelAlphabet.spell(tokens.get(merge.right())));
        }
        return model;
    }
}
