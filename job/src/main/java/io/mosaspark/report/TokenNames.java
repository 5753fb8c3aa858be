package io.mosaspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.prep.tokenize.PretrainedEncoding;
import io.mosaspark.prep.tokenize.TextTokenizer;
import io.mosaspark.prep.tokenize.TokenizerSpec;
import io.mosaspark.train.state.AtomicHadoopFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Token ids as people read them, with the tokenizer {@code mosa train} copied into the run directory
 * ({@code tokenizer.json}, and {@code tokenizer/} for a trained one). Whitespace is made visible
 * (␣ for a space, ↵ for a newline) and bytes that are not whole UTF-8 characters are shown as
 * {@code <0xNN>}: a byte-level BPE token is often part of a character.
 */
final class TokenNames {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TextTokenizer tokenizer;

    private TokenNames(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The run's tokenizer, or null when the run directory has none (a run on in-memory tokens). */
    static TokenNames forRun(FileSystem fs, Path run, Configuration hadoop) throws IOException {
        Path meta = new Path(run, "tokenizer.json");
        if (!fs.exists(meta)) return null;
        JsonNode t = JSON.readTree(AtomicHadoopFiles.readString(fs, meta));
        Path dir = new Path(run, "tokenizer");
        TokenizerSpec spec;
        if (fs.exists(dir)) {
            spec = TokenizerSpec.trained(fs.makeQualified(dir).toString());
        } else {
            String type = t.path("type").asText();
            spec = TokenizerSpec.pretrained(PretrainedEncoding.byName(type).orElseThrow(() -> new IllegalArgumentException(
                    meta + ": tokenizer type '" + type + "' has no tokenizer/ directory and is no pretrained encoding ("
                            + PretrainedEncoding.names() + "): copy the shard set's tokenizer/ into the run directory")));
        }
        return new TokenNames(spec.load(hadoop));
    }

    /** How token {@code id} reads. */
    String name(long id) {
        if (id < 0 || id >= tokenizer.vocabSize()) return "<" + id + "?>";
        if (id == tokenizer.eotToken()) return "<|endoftext|>";
        return visible(tokenizer.decodeBytes(new int[]{(int) id}));
    }

    static String visible(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            StringBuilder out = new StringBuilder();
            s.codePoints().forEach(c -> {
                if (c == ' ') out.append('␣');
                else if (c == '\n') out.append('↵');
                else if (c == '\t') out.append('⇥');
                else if (Character.isISOControl(c)) out.append(String.format("<0x%02X>", c));
                else out.appendCodePoint(c);
            });
            return out.toString();
        } catch (CharacterCodingException e) {
            StringBuilder out = new StringBuilder();
            for (byte b : bytes) out.append(String.format("<0x%02X>", b & 0xff));
            return out.toString();
        }
    }
}
