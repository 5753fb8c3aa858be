package io.mosaspark.shards;

import io.mosaspark.provenance.Provenance;
import io.mosaspark.shards.format.ShardFormat;
import io.mosaspark.shards.format.ShardWriter;
import io.mosaspark.shards.format.TokenWidth;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.ManifestJson;
import io.mosaspark.shards.manifest.Reconciliation;
import io.mosaspark.shards.manifest.ShardInfo;
import io.mosaspark.shards.manifest.Split;
import io.mosaspark.shards.manifest.SplitTotals;
import io.mosaspark.shards.manifest.TokenizerInfo;
import io.mosaspark.shards.set.ShardSet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes small valid shard sets on local disk as {@code mosa prepare} lays them out (shards cut every
 * {@code shardTokens}, manifest, commit marker), without Spark or a tokenizer.
 */
public final class ShardSets {
    public static final String NAME = "t";

    private ShardSets() {
    }

    /** A set whose train and val token streams are {@code train} and {@code val}. */
    public static Manifest write(Path dir, int vocabSize, int eot, long shardTokens, int[] train, int[] val)
            throws IOException {
        Files.createDirectories(dir);
        TokenWidth width = TokenWidth.forVocabSize(vocabSize);
        List<ShardInfo> shards = new ArrayList<>();
        shards.addAll(writeSplit(dir, Split.TRAIN, width, eot, shardTokens, train));
        shards.addAll(writeSplit(dir, Split.VAL, width, eot, shardTokens, val));
        long documents = shards.stream().mapToLong(ShardInfo::documents).sum();
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, NAME, width.dtype(), shardTokens,
                new TokenizerInfo(null, "test", vocabSize, eot, "none"), shards, SplitTotals.bySplit(shards),
                new Reconciliation(1, documents, documents, 0, 0, 0, Map.of(), 0, documents, 0),
                Provenance.of(Manifest.ARTIFACT, Map.of("shard_tokens", shardTokens), List.of(), List.of()));
        // through java.nio, not Hadoop's local filesystem, so that no .crc file objects when a test edits it
        Files.write(dir.resolve(Manifest.FILE_NAME), ManifestJson.MAPPER.writeValueAsBytes(m));
        Files.writeString(dir.resolve(ShardSet.COMMIT_MARKER), "");
        return m;
    }

    private static List<ShardInfo> writeSplit(Path dir, Split split, TokenWidth width, int eot, long shardTokens,
                                              int[] tokens) throws IOException {
        List<ShardInfo> shards = new ArrayList<>();
        for (int start = 0, index = 0; start < tokens.length; start += (int) shardTokens, index++) {
            int[] part = Arrays.copyOfRange(tokens, start, (int) Math.min(tokens.length, start + shardTokens));
            String name = ShardFormat.fileName(NAME, split.id(), index);
            ShardWriter.Written w = writeShard(dir.resolve(name), width, eot, part);
            shards.add(new ShardInfo(name, split.id(), w.tokens(), w.documents(), w.bytes(), w.sha256()));
        }
        return shards;
    }

    public static ShardWriter.Written writeShard(Path file, TokenWidth width, int eot, int[] tokens)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             ShardWriter w = new ShardWriter(out, file.toString(), width, tokens.length, eot)) {
            w.write(tokens, 0, tokens.length);
            return w.finish();
        }
    }

    /** 0, 1, …, n-1 shifted by {@code base}: every token names its stream position. */
    public static int[] positions(int n, int base) {
        int[] t = new int[n];
        Arrays.setAll(t, i -> base + i);
        return t;
    }
}
