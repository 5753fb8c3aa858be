package io.mosaspark.shards.set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.shards.ShardSets;
import io.mosaspark.shards.format.TokenWidth;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the trainer calls before any Spark work: a set that does not match its manifest is refused, naming the file. */
class ShardSetTest {
    private static final Configuration CONF = new Configuration();
    @TempDir
    Path tmp;

    private Path validSet() throws IOException {
        Path dir = tmp.resolve("set");
        ShardSets.write(dir, 1000, 0, 100, ShardSets.positions(350, 0), ShardSets.positions(120, 1));
        return dir;
    }

    private InvalidShardSetException refused(Path dir, boolean full) {
        return assertThrows(InvalidShardSetException.class, () -> ShardSet.open(dir.toString(), CONF, full));
    }

    @Test
    void aValidSetOpensWithItsSplitsInManifestOrder() throws IOException {
        Path dir = validSet();
        ShardSet set = ShardSet.open(dir.toString(), CONF, true);
        SplitShards train = set.split(Split.TRAIN);
        assertEquals(350, train.tokens());
        assertEquals(4, train.shards().size());
        assertEquals("t_train_000003.bin", train.path(3).getName());
        assertEquals(120, set.split(Split.VAL).tokens());
        assertEquals("train split of " + dir, train.description());
        assertEquals(100, set.manifest().shardTokens());
    }

    @Test
    void aMissingShardIsNamedWithTheFix() throws IOException {
        Path dir = validSet();
        Files.delete(dir.resolve("t_train_000001.bin"));
        InvalidShardSetException e = refused(dir, false);
        assertTrue(e.getMessage().contains("t_train_000001.bin is listed in the manifest but missing"), e.getMessage());
        assertTrue(e.getMessage().contains("re-run `mosa prepare`"), e.getMessage());
        assertEquals(1, e.problems().size(), e.problems().toString());
    }

    @Test
    void aTruncatedShardOrOneWithAnotherTokenCountIsNamed() throws IOException {
        Path dir = validSet();
        Path truncated = dir.resolve("t_train_000000.bin");
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 2));
        ShardSets.writeShard(dir.resolve("t_val_000001.bin"), TokenWidth.UINT16, 0, ShardSets.positions(19, 1));

        InvalidShardSetException e = refused(dir, false);
        assertTrue(e.getMessage().contains("t_train_000000.bin: file has") && e.getMessage().contains("truncated"),
                e.getMessage());
        assertTrue(e.getMessage().contains("t_val_000001.bin: header holds 19 tokens, manifest says 20"), e.getMessage());
    }

    @Test
    void aCorruptShardPassesTheQuickCheckButNotTheFullOne() throws IOException {
        Path dir = validSet();
        Path shard = dir.resolve("t_train_000002.bin");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length - 1] ^= 1;
        Files.write(shard, bytes);

        ShardSet.open(dir.toString(), CONF, false);
        InvalidShardSetException e = refused(dir, true);
        assertTrue(e.getMessage().contains("t_train_000002.bin: sha256") && e.getMessage().contains("(corrupt)"),
                e.getMessage());
    }

    @Test
    void anUncommittedSetAndAnUnlistedShardAreRefused() throws IOException {
        Path dir = validSet();
        Files.delete(dir.resolve(ShardSet.COMMIT_MARKER));
        Files.writeString(dir.resolve("t_train_000009.bin"), "stray");
        InvalidShardSetException e = refused(dir, false);
        assertTrue(e.getMessage().contains("no _SUCCESS marker"), e.getMessage());
        assertTrue(e.getMessage().contains("t_train_000009.bin is in the directory but not in the manifest"),
                e.getMessage());
    }

    @Test
    void aManifestOfANewerFormatIsRefusedNamingTheVersions() throws IOException {
        Path dir = validSet();
        Path manifest = dir.resolve(Manifest.FILE_NAME);
        Files.writeString(manifest, Files.readString(manifest).replace("\"format_version\" : 2", "\"format_version\" : 3"));
        InvalidShardSetException e = refused(dir, false);
        assertTrue(e.getMessage().contains("format_version 3 is not supported (this build reads 1 to 2"),
                e.getMessage());
    }

    @Test
    void aManifestLackingFieldsNamesThem() throws IOException {
        Path dir = validSet();
        Files.writeString(dir.resolve(Manifest.FILE_NAME), "{\"format_version\": 1, \"name\": \"t\"}");
        InvalidShardSetException e = refused(dir, false);
        assertTrue(e.getMessage().contains("lacks shard_tokens, tokenizer, shards, totals, reconciliation, provenance"),
                e.getMessage());
        Files.writeString(dir.resolve(Manifest.FILE_NAME), "[1, 2]");
        assertTrue(refused(dir, false).getMessage().contains("is not a valid manifest"));
    }
}
