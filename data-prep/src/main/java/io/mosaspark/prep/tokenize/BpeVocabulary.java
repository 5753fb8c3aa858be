package io.mosaspark.prep.tokenize;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.GptBytePairEncodingParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a byte-level BPE tokenizer is at encoding time: the split pattern (regex, or {@code gpt2} /
 * {@code cl100k}), the token bytes by rank
 * (rank = id; ranks 0..255 are the single bytes) and the special tokens, which take the ids after
 * the last rank in list order.
 */
public record BpeVocabulary(String pattern, List<byte[]> tokens, List<String> specialTokens) {

    public BpeVocabulary {
        pattern = PreTokenizer.resolvePattern(pattern);
        PreTokenizer.compile(pattern);
        tokens = List.copyOf(tokens);
        specialTokens = List.copyOf(specialTokens);
        if (tokens.size() < 256) {
            throw new IllegalArgumentException("vocabulary: has " + tokens.size() + " ranks; byte-level BPE needs "
                    + "at least the 256 single bytes");
        }
        for (int b = 0; b < 256; b++) {
            byte[] token = tokens.get(b);
            if (token.length != 1 || (token[0] & 0xFF) != b) {
                throw new IllegalArgumentException("vocabulary: rank " + b + " must be the single byte " + b
                        + " (byte-level BPE reserves ranks 0..255 for the bytes)");
            }
        }
        if (!specialTokens.contains(BpeTrainingConfig.END_OF_TEXT)) {
            throw new IllegalArgumentException("vocabulary: special tokens " + specialTokens + " lack "
                    + BpeTrainingConfig.END_OF_TEXT);
        }
    }

    public int vocabSize() {
        return tokens.size() + specialTokens.size();
    }

    public int specialId(String special) {
        int index = specialTokens.indexOf(special);
        if (index < 0) {
            throw new IllegalArgumentException("no special token " + special + " in " + specialTokens);
        }
        return tokens.size() + index;
    }

    public int eotToken() {
        return specialId(BpeTrainingConfig.END_OF_TEXT);
    }

    /** The encoder: JTokkit's byte-pair encoding registered from these ranks. */
    public TextTokenizer toTokenizer() {
        Map<byte[], Integer> ranks = new LinkedHashMap<>(tokens.size() * 2);
        for (int rank = 0; rank < tokens.size(); rank++) {
            ranks.put(tokens.get(rank), rank);
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (String special : specialTokens) {
            specials.put(special, specialId(special));
        }
        // Names must be unique per registry; a private registry per tokenizer keeps that trivially true.
        String name = "mosa-bpe";
        Pattern split = PreTokenizer.compile(pattern);
        Encoding encoding = Encodings.newLazyEncodingRegistry()
                .registerGptBytePairEncoding(new GptBytePairEncodingParams(name, split, ranks, specials))
                .getEncoding(name)
                .orElseThrow();
        return new JtokkitTokenizer(encoding, split, "bpe", vocabSize(), eotToken(), tokens.size());
    }
}
