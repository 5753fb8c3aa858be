package io.mosaspark.model.lm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LM graph's vertex names and their mapping to the canonical tensor names of docs/model.md
 * ({@code blocks.{i}.attn.dense.qkv.weight} …). Vertex names are predictable so listeners can find
 * layers: {@code attn_0}, {@code mlp_0}, … The canonical name of a parameter is the vertex's prefix
 * plus the layer's parameter key (which is already the canonical suffix).
 */
public final class LmNames {

    public static final String INPUT = "tokens";
    public static final String EMBEDDING = "tok_emb";
    public static final String FINAL_NORM = "ln_f";
    public static final String HEAD = "lm_head";

    private static final Pattern BLOCK_VERTEX = Pattern.compile("(ln1|attn|ln2|mlp)_(\\d+)");

    private LmNames() {
    }

    public static String ln1(int block) {
        return "ln1_" + block;
    }

    public static String attention(int block) {
        return "attn_" + block;
    }

    /** x + attention, the first residual sum of a block. */
    public static String attentionResidual(int block) {
        return "res1_" + block;
    }

    public static String ln2(int block) {
        return "ln2_" + block;
    }

    public static String mlp(int block) {
        return "mlp_" + block;
    }

    /** x + MLP, the block's output. */
    public static String mlpResidual(int block) {
        return "res2_" + block;
    }

    /**
     * {@code tok_emb} + {@code weight} → {@code tok_emb.weight}; {@code attn_1} + {@code mosa.qkv} →
     * {@code blocks.1.attn.mosa.qkv}.
     */
    public static String canonical(String vertex, String paramKey) {
        if (vertex.equals(EMBEDDING) || vertex.equals(FINAL_NORM) || vertex.equals(HEAD)) return vertex + "." + paramKey;
        Matcher m = BLOCK_VERTEX.matcher(vertex);
        if (!m.matches()) throw new IllegalArgumentException("vertex '" + vertex + "' is not a parameterised LM vertex");
        return "blocks." + m.group(2) + "." + m.group(1) + "." + paramKey;
    }
}
