package io.mosaspark.prep.tokenize;

import io.mosaspark.shards.manifest.TokenizerInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Finds the tokenizer a manifest (or a checkpoint's copy of it) records: a pretrained encoding by its
 * name, a trained one in the first of the given directories whose files hash to the recorded SHA-256.
 * The hash is what makes a token id mean the same text as in training.
 */
public final class TokenizerLocator {

    private TokenizerLocator() {
    }

    /**
     * @param directories where a trained tokenizer may be (a run's copy, the shard set's), in order
     * @throws IllegalArgumentException naming the recorded tokenizer and why no candidate is it
     */
    public static TokenizerSpec find(TokenizerInfo info, List<String> directories, Configuration conf) {
        String wanted = info.type() + " (vocab " + info.vocabSize() + ", sha256 " + info.sha256() + ")";
        if (info.path() == null) {
            TokenizerSpec spec = PretrainedEncoding.byName(info.type()).map(TokenizerSpec::pretrained)
                    .orElseThrow(() -> new IllegalArgumentException("tokenizer " + info.type() + " is recorded as a "
                            + "pretrained encoding, but this version knows only " + PretrainedEncoding.names()));
            if (!spec.sha256(conf).equals(info.sha256())) {
                throw new IllegalArgumentException("tokenizer " + wanted + ": this JTokkit's " + info.type()
                        + " rank file has sha256 " + spec.sha256(conf) + "; use the mosa-spark version that trained the model");
            }
            return spec;
        }
        List<String> tried = new ArrayList<>();
        for (String dir : directories) {
            TokenizerSpec spec = TokenizerSpec.trained(dir);
            try {
                String sha = spec.sha256(conf);
                if (sha.equals(info.sha256())) return spec;
                tried.add(dir + " has sha256 " + sha);
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                tried.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException("tokenizer " + wanted + " not found: " + (tried.isEmpty() ? "no directory to look in"
                : String.join("; ", tried)));
    }
}
