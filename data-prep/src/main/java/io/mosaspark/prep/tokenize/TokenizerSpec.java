package io.mosaspark.prep.tokenize;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;

/**
 * Names a tokenizer so that executors can rebuild it: either an encoding JTokkit ships
 * ({@code r50k_base}, {@code cl100k_base}, {@code o200k_base}) or a directory written by
 * {@link BpeTrainer} (any Hadoop URI: a local path, file://, hdfs://, s3a://).
 *
 * @param encoding  the pretrained encoding, or null for a trained directory
 * @param directory the trained tokenizer's directory, or null for a pretrained encoding
 */
public record TokenizerSpec(PretrainedEncoding encoding, String directory) implements Serializable {

    /**
     * One tokenizer per spec per JVM: executors share it across tasks (encoding is thread-safe). A
     * trained directory is read once; that is safe because directories are never overwritten
     * ({@link TrainedBpe#save} refuses an existing one).
     */
    private static final Map<TokenizerSpec, TextTokenizer> LOADED = new ConcurrentHashMap<>();

    public TokenizerSpec {
        if ((encoding == null) == (directory == null || directory.isBlank())) {
            throw new IllegalArgumentException("tokenizer: give exactly one of a pretrained encoding ("
                    + PretrainedEncoding.names() + ") or a trained tokenizer directory");
        }
    }

    public static TokenizerSpec pretrained(PretrainedEncoding encoding) {
        return new TokenizerSpec(Objects.requireNonNull(encoding, "encoding"), null);
    }

    public static TokenizerSpec trained(String directory) {
        return new TokenizerSpec(null, directory);
    }

    /** The command-line form: an encoding name ({@code r50k_base} ...) or a directory URI. */
    public static TokenizerSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("tokenizer: empty; use one of " + PretrainedEncoding.names()
                    + " or the directory of a trained tokenizer");
        }
        String trimmed = text.strip();
        return PretrainedEncoding.byName(trimmed).map(TokenizerSpec::pretrained)
                .orElseGet(() -> trained(trimmed));
    }

    public boolean isPretrained() {
        return encoding != null;
    }

    /** The JVM-wide instance for this spec, loading it on first use (Hadoop's default configuration). */
    public TextTokenizer load() {
        return LOADED.computeIfAbsent(this, spec -> spec.loadUncached(new Configuration()));
    }

    /** As {@link #load()}, reading a trained directory with {@code hadoopConf} (e.g. the SparkContext's). */
    public TextTokenizer load(Configuration hadoopConf) {
        return LOADED.computeIfAbsent(this, spec -> spec.loadUncached(hadoopConf));
    }

    private TextTokenizer loadUncached(Configuration hadoopConf) {
        return isPretrained() ? encoding.load() : TokenizerDirectory.load(directory, hadoopConf).toTokenizer();
    }

    /**
     * SHA-256 of the files that define the tokenizer, for manifests: JTokkit's rank file for a
     * pretrained encoding; {@code tokenizer.tiktoken} then {@code tokenizer.json} for a trained one
     * (not {@code tokenizer-meta.json}, whose training time differs between identical trainings).
     */
    public String sha256() {
        return sha256(new Configuration());
    }

    public String sha256(Configuration hadoopConf) {
        return isPretrained() ? encoding.sha256() : TokenizerDirectory.sha256(directory, hadoopConf);
    }

    /** The command-line form, parseable by {@link #parse}. */
    @Override
    public String toString() {
        return isPretrained() ? encoding.encodingName() : directory;
    }
}
