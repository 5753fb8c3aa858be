package io.mosaspark.prep.tokenize;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The OpenAI encodings JTokkit ships (rank files inside its jar: no network). */
public enum PretrainedEncoding {
    /** GPT-2 / GPT-3. */
    R50K_BASE(EncodingType.R50K_BASE, 50256, 50257, PreTokenizer.GPT2_PATTERN),
    /** GPT-3.5 / GPT-4: the highest special id is &lt;|endofprompt|&gt; = 100276. */
    CL100K_BASE(EncodingType.CL100K_BASE, 100257, 100277, PreTokenizer.CL100K_PATTERN),
    /** GPT-4o: the highest special id is &lt;|endofprompt|&gt; = 200018. */
    O200K_BASE(EncodingType.O200K_BASE, 199999, 200019, null);

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private final EncodingType type;
    private final int eotToken;
    private final int vocabSize;
    /** JTokkit's split regex for this encoding, when we know it (enables the piece cache); else null. */
    private final String split;

    PretrainedEncoding(EncodingType type, int eotToken, int vocabSize, String split) {
        this.type = type;
        this.eotToken = eotToken;
        this.vocabSize = vocabSize;
        this.split = split;
    }

    /** The tiktoken name, e.g. {@code r50k_base}. */
    public String encodingName() {
        return type.getName();
    }

    public int eotToken() {
        return eotToken;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public static Optional<PretrainedEncoding> byName(String name) {
        return Arrays.stream(values()).filter(e -> e.encodingName().equals(name)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(PretrainedEncoding::encodingName).toList());
    }

    TextTokenizer load() {
        Encoding encoding = REGISTRY.getEncoding(type);
        // In all three encodings end-of-text is the lowest special id.
        return new JtokkitTokenizer(encoding, split == null ? null : PreTokenizer.compile(split), encodingName(),
                vocabSize, eotToken, eotToken);
    }

    /** SHA-256 of the rank file JTokkit loads this encoding from. */
    String sha256() {
        return new Sha256().update(rankFile()).hex();
    }

    /** The tiktoken rank file JTokkit loads this encoding from (the bytes tiktoken itself reads). */
    byte[] rankFile() {
        String resource = "/com/knuddels/jtokkit/" + encodingName() + ".tiktoken";
        try (InputStream in = Encodings.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("JTokkit jar lacks " + resource + ": is jtokkit on the classpath?");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource, e);
        }
    }

    /** The split regex, or null where this code does not know it (o200k_base). */
    String split() {
        return split;
    }

    /** The special tokens and their ids, as tiktoken defines them for this encoding. */
    Map<String, Integer> specialTokens() {
        Map<String, Integer> specials = new LinkedHashMap<>();
        specials.put(BpeTrainingConfig.END_OF_TEXT, eotToken);
        if (this == CL100K_BASE) {
            specials.put("<|fim_prefix|>", 100258);
            specials.put("<|fim_middle|>", 100259);
            specials.put("<|fim_suffix|>", 100260);
            specials.put("<|endofprompt|>", 100276);
        } else if (this == O200K_BASE) {
            specials.put("<|endofprompt|>", 200018);
        }
        return specials;
    }
}
