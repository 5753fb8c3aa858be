package io.mosaspark.prep.tokenize;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A tokenizer's files for other tools: the tiktoken rank file (tiktoken, JTokkit) and a Hugging Face
 * {@code tokenizer.json}. A trained tokenizer's directory already holds both (plus its meta file), and
 * they are taken as stored; a pretrained encoding's rank file is JTokkit's own, and its
 * {@code tokenizer.json} is built here, its merges recovered from the ranks ({@link RankMerges}).
 */
public final class TokenizerFiles {
    public static final String RANKS = TokenizerDirectory.RANKS;
    public static final String HUGGING_FACE = TokenizerDirectory.HUGGING_FACE;
    public static final String META = TokenizerDirectory.META;

    private TokenizerFiles() {
    }

    /** File name → content, in the order to write them. */
    public static Map<String, byte[]> portable(TokenizerSpec spec, Configuration conf) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (!spec.isPretrained()) {
            TokenizerDirectory.load(spec.directory(), conf); // refuses a rank file changed after training
            for (String name : List.of(RANKS, HUGGING_FACE, META)) {
                files.put(name, TokenizerDirectory.file(spec.directory(), name, conf));
            }
            return files;
        }
        PretrainedEncoding e = spec.encoding();
        if (e.split() == null) {
            throw new IllegalArgumentException("tokenizer " + e.encodingName() + ": this version cannot write its Hugging Face "
                    + "tokenizer.json (its split regex is not known here); export a model trained with r50k_base, "
                    + "cl100k_base or a trained BPE");
        }
        byte[] ranks = e.rankFile();
        List<byte[]> tokens = TiktokenFile.read(ranks, e.encodingName() + ".tiktoken");
        files.put(RANKS, ranks);
        files.put(HUGGING_FACE, HuggingFaceTokenizerJson.write(e.split(), tokens,
                RankMerges.derive(tokens, e.encodingName()), e.specialTokens()));
        return files;
    }
}
