package io.mosaspark.shards.set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mosaspark.provenance.Provenance;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.ManifestJson;
import io.mosaspark.shards.manifest.Split;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved-artifact compatibility: {@code compat/manifest-v1} is a shard set written by {@code mosa prepare}
 * before manifest format 2 (three r50k_base shards and their version-1 manifest, kept byte for byte).
 * It must still validate, checksums included, and read into the current shape with nothing lost.
 */
class ManifestVersion1Test {
    private static final Configuration CONF = new Configuration();

    private static Path savedSet() throws URISyntaxException {
        return Path.of(ManifestVersion1Test.class.getResource("/compat/manifest-v1/manifest.json").toURI()).getParent();
    }

    @Test
    void aVersion1SetStillValidatesInFull() throws Exception {
        ShardSet set = ShardSet.open(savedSet().toUri().toString(), CONF, true);
        Manifest m = set.manifest();
        assertEquals(1, m.formatVersion());
        assertEquals(18, set.split(Split.TRAIN).tokens());
        assertEquals(30, set.split(Split.VAL).tokens());
        assertEquals(50256, set.eotToken());
        assertNull(set.tokenizerDir());
    }

    @Test
    void everyFactOfTheVersion1ProvenanceKeepsAPlace() throws Exception {
        Manifest m = ManifestJson.read(new org.apache.hadoop.fs.Path(savedSet().resolve("manifest.json").toUri()), CONF);
        assertEquals(24, m.shardTokens());
        assertEquals(1, m.reconciliation().inputFiles());
        Provenance p = m.provenance();
        assertEquals(Manifest.ARTIFACT, p.artifact());
        assertEquals("mosa-spark 0.1.0-SNAPSHOT (git commit unknown)", p.codeVersion());
        assertEquals("2026-12-07T01:45:06.559142271Z", p.createdAt());
        assertEquals(new Provenance.Input("/tmp/ld-v1/in/docs.jsonl", 300,
                "0ba235a54039a83212a6523803d876f8fc152565c8f824d7175057444faf205c"), p.inputs().get(0));
        assertEquals(1337, p.config().get("seed").asLong());
        assertEquals("/tmp/ld-v1/in/docs.jsonl", p.config().get("inputs").get(0).asText());
        assertEquals(24, p.config().get("shard_tokens").asLong());
    }

    @Test
    void anUpgradedManifestWrittenAgainReadsBackEqual(@TempDir Path tmp) throws Exception {
        Manifest v1 = ManifestJson.read(new org.apache.hadoop.fs.Path(savedSet().resolve("manifest.json").toUri()), CONF);
        Manifest v2 = new Manifest(Manifest.FORMAT_VERSION, v1.name(), v1.tokenDtype(), v1.shardTokens(), v1.tokenizer(),
                v1.shards(), v1.totals(), v1.reconciliation(), v1.provenance());
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(tmp.resolve("manifest.json").toUri());
        ManifestJson.write(v2, file, CONF);
        assertEquals(v2, ManifestJson.read(file, CONF));
    }
}
