package io.mosaspark.prep;

import io.mosaspark.prep.read.InputFormat;
import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every option of the prepare job, validated once. Defaults live in {@link Defaults} and nowhere
 * else; the resolved record is written into the manifest as provenance.
 *
 * @param inputs       Hadoop URIs or globs (file://, hdfs://, s3a://, or plain local paths)
 * @param output       directory to create; committed atomically
 * @param format       input layout
 * @param textField    JSON field / Parquet column holding the text
 * @param tokenizer    {@code r50k_base|cl100k_base|o200k_base|train:<vocab>|<tokenizer dir>}
 * @param valFraction  fraction of documents (by content hash) sent to the validation split
 * @param shardTokens  tokens per shard (the last shard of a split holds the remainder)
 * @param minChars     documents shorter than this (after cleaning) are rejected; 0 disables
 * @param maxChars     longer documents are split into pieces of at most this many chars
 * @param skipBadFiles unreadable files are recorded in _rejected/ instead of failing the job
 * @param overwrite    replace an existing output directory
 * @param name         shard file prefix
 * @param seed         seeds the split and the document order
 * @param master       Spark master for local runs; null when spark-submit provides it
 * @param splitBytes   uncompressed jsonl/text-lines files larger than this are read by several tasks
 */
public record PrepConfig(
        List<String> inputs,
        String output,
        InputFormat format,
        String textField,
        String tokenizer,
        double valFraction,
        long shardTokens,
        int minChars,
        int maxChars,
        boolean skipBadFiles,
        boolean overwrite,
        String name,
        long seed,
        String master,
        long splitBytes) implements Serializable {

    /** The single place defaults are defined. */
    public static final class Defaults {
        public static final InputFormat FORMAT = InputFormat.JSONL;
        public static final String TEXT_FIELD = "text";
        public static final String TOKENIZER = "r50k_base";
        public static final double VAL_FRACTION = 0.01;
        /** llm.c's fineweb shards hold 10^8 tokens. */
        public static final long SHARD_TOKENS = 100_000_000L;
        public static final int MIN_CHARS = 0;
        public static final int MAX_CHARS = 1_000_000;
        public static final String NAME = "corpus";
        public static final long SEED = 1337L;
        /** HDFS's block size: one task per block of a large file, as Hadoop's own input formats do. */
        public static final long SPLIT_BYTES = 128L << 20;

        private Defaults() {
        }
    }

    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** llm.c stores the token count in an int32 header field. */
    public static final long MAX_SHARD_TOKENS = Integer.MAX_VALUE;

    public PrepConfig {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("--input: at least one input path or glob is required");
        }
        for (String in : inputs) {
            if (in == null || in.isBlank()) {
                throw new IllegalArgumentException("--input: empty path in " + inputs);
            }
        }
        inputs = List.copyOf(inputs);
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("--out: an output directory is required");
        }
        if (format == null) {
            throw new IllegalArgumentException("--format is required");
        }
        if (textField == null || textField.isBlank()) {
            throw new IllegalArgumentException("--text-field must be a non-empty field/column name");
        }
        if (tokenizer == null || tokenizer.isBlank()) {
            throw new IllegalArgumentException(
                    "--tokenizer must be r50k_base|cl100k_base|o200k_base|train:<vocab>|<dir>");
        }
        if (!(valFraction >= 0.0 && valFraction < 1.0)) {
            throw new IllegalArgumentException("--val-fraction must be in [0, 1), got " + valFraction);
        }
        if (shardTokens < 1 || shardTokens > MAX_SHARD_TOKENS) {
            throw new IllegalArgumentException("--shard-tokens must be in [1, " + MAX_SHARD_TOKENS
                    + "] (llm.c header stores it as int32), got " + shardTokens);
        }
        if (minChars < 0) {
            throw new IllegalArgumentException("--min-chars must be >= 0 (0 disables), got " + minChars);
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("--max-chars must be >= 1, got " + maxChars);
        }
        if (minChars > maxChars) {
            throw new IllegalArgumentException("--min-chars (" + minChars + ") must not exceed --max-chars ("
                    + maxChars + ")");
        }
        if (splitBytes < 1) {
            throw new IllegalArgumentException("--split-bytes must be >= 1, got " + splitBytes);
        }
        if (name == null || !NAME_PATTERN.matcher(name).matches()) {
            throw new IllegalArgumentException("--name must match " + NAME_PATTERN.pattern()
                    + " (it prefixes shard file names), got '" + name + "'");
        }
    }

    /** With the default {@link Defaults#SPLIT_BYTES}. */
    public PrepConfig(List<String> inputs, String output, InputFormat format, String textField, String tokenizer,
                      double valFraction, long shardTokens, int minChars, int maxChars, boolean skipBadFiles,
                      boolean overwrite, String name, long seed, String master) {
        this(inputs, output, format, textField, tokenizer, valFraction, shardTokens, minChars, maxChars, skipBadFiles,
                overwrite, name, seed, master, Defaults.SPLIT_BYTES);
    }

    /** A config with every default, for the given inputs and output. */
    public static PrepConfig defaults(List<String> inputs, String output) {
        return new PrepConfig(inputs, output, Defaults.FORMAT, Defaults.TEXT_FIELD, Defaults.TOKENIZER,
                Defaults.VAL_FRACTION, Defaults.SHARD_TOKENS, Defaults.MIN_CHARS, Defaults.MAX_CHARS,
                false, false, Defaults.NAME, Defaults.SEED, null, Defaults.SPLIT_BYTES);
    }

    /** The same run with other --skip-bad-files / --overwrite switches. */
    public PrepConfig withSwitches(boolean skipBad, boolean over) {
        return new PrepConfig(inputs, output, format, textField, tokenizer, valFraction, shardTokens,
                minChars, maxChars, skipBad, over, name, seed, master, splitBytes);
    }
}
