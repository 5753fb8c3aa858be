package io.mosaspark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.read.InputFormat;
import io.mosaspark.prep.tokenize.CliTokenizerSource;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PrepConfigTest {
    private static final PrepConfig BASE = PrepConfig.defaults(List.of("in/*.jsonl"), "out");

    private static CliTokenizerSource tokenizerSource(PrepConfig config) {
        return new CliTokenizerSource(config.tokenizer(), config.seed(), String.join(",", config.inputs()));
    }

    /** BASE with the numeric and text options replaced. */
    private static PrepConfig with(double val, long shardTokens, int min, int max, String field, String tokenizer) {
        return new PrepConfig(BASE.inputs(), BASE.output(), BASE.format(), field, tokenizer, val, shardTokens, min, max,
                false, false, BASE.name(), BASE.seed(), null);
    }

    private static PrepConfig withSplitAndShards(double val, long tokens) {
        return with(val, tokens, 0, 1000, "text", "r50k_base");
    }

    private static PrepConfig withLengths(int min, int max) {
        return with(0.1, 100, min, max, "text", "r50k_base");
    }

    private static void refused(String key, Supplier<PrepConfig> make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        assertTrue(e.getMessage().contains(key), "message should name " + key + ": " + e.getMessage());
    }

    @Test
    void everyInvalidValueIsRefusedNamingItsOption() {
        refused("--input", () -> PrepConfig.defaults(List.of(), "out"));
        refused("--name", () -> new PrepConfig(BASE.inputs(), "out", InputFormat.JSONL, "text", "r50k_base", 0.1, 10, 0, 10,
                false, false, "../evil", 1, null));
        refused("--out", () -> PrepConfig.defaults(List.of("x"), " "));
        refused("--val-fraction", () -> withSplitAndShards(1.0, 10));
        refused("--val-fraction", () -> withSplitAndShards(-0.1, 10));
        refused("--val-fraction", () -> withSplitAndShards(Double.NaN, 10));
        refused("--shard-tokens", () -> withSplitAndShards(0.1, 0));
        refused("--shard-tokens", () -> withSplitAndShards(0.1, 1L << 31));
        refused("--min-chars", () -> withLengths(-1, 10));
        refused("--max-chars", () -> withLengths(0, 0));
        refused("--min-chars", () -> withLengths(20, 10));
        refused("--text-field", () -> with(0.1, 100, 0, 10, "", "r50k_base"));
        refused("--tokenizer", () -> with(0.1, 100, 0, 10, "text", " "));
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () -> InputFormat.parse("csv"));
        assertTrue(format.getMessage().contains("--format") && format.getMessage().contains("parquet"));
        IllegalArgumentException train = assertThrows(IllegalArgumentException.class,
                () -> tokenizerSource(with(0.1, 100, 0, 10, "text", "train:lots")));
        assertTrue(train.getMessage().contains("--tokenizer train:<vocab>"), train.getMessage());
    }

    @Test
    void tokenizerDirectoryThatDoesNotExistIsRefusedNamingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        String missing = tmp.resolve("no-such-tokenizer").toString();
        CliTokenizerSource source = tokenizerSource(with(0.1, 100, 0, 10, "text", missing));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> source.resolve(null,
                new org.apache.hadoop.fs.Path(tmp.resolve("work").toUri()), new org.apache.hadoop.conf.Configuration()));
        assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("r50k_base"), e.getMessage());
    }
}
