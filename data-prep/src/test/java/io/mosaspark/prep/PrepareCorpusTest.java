package io.mosaspark.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mosaspark.prep.read.InputFormat;
import io.mosaspark.provenance.CodeVersion;
import io.mosaspark.shards.format.LlmcShardFile;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.ManifestJson;
import io.mosaspark.shards.manifest.Reconciliation;
import io.mosaspark.shards.manifest.ShardInfo;
import io.mosaspark.shards.manifest.Split;
import io.mosaspark.shards.set.ShardSetValidator;
import io.mosaspark.shards.set.ValidationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on the local filesystem with real Spark: hostile inputs, accounting, determinism, atomicity. */
class PrepareCorpusTest {
    @TempDir
    static Path tmp;
    static Path input;
    static SparkSession spark;

    @BeforeAll
    static void corpus() throws IOException {
        spark = SharedSpark.session();
        input = tmp.resolve("in");
        HostileCorpus.write(input);
    }

    private static PrepConfig config(String out) {
        return new PrepConfig(List.of(input.toString()), tmp.resolve(out).toString(), InputFormat.JSONL, "text",
                "bytes", 0.3, 40, 3, 1000, false, false, "hostile", 1337, null);
    }

    @Test
    void hostileCorpusIsAccountedForAndReadBackExactly() throws IOException {
        PrepConfig cfg = config("out1");
        Manifest m = new PrepareCorpus(cfg, ByteTokenizer.source(1)).run(spark);
        Path out = Path.of(cfg.output());

        Reconciliation r = m.reconciliation();
        assertEquals(HostileCorpus.READ, r.documentsRead());
        assertEquals(HostileCorpus.WRITTEN, r.documentsWritten());
        assertEquals(HostileCorpus.DUPLICATES, r.duplicates());
        assertEquals(HostileCorpus.REJECTED, r.rejected());
        assertEquals(HostileCorpus.EMPTY, r.empty());
        assertEquals(new TreeMap<>(HostileCorpus.REASONS), r.rejectedReasons());
        assertEquals(HostileCorpus.PIECES, r.piecesWritten());
        assertEquals(1, r.documentsSplit());
        assertEquals(HostileCorpus.MALFORMED_BYTES, r.malformedUtf8Bytes());
        assertTrue(r.balanced());
        assertEquals(CodeVersion.current().toString(), m.provenance().codeVersion());

        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertEquals("uint16", m.tokenDtype());
        List<String> rejected = Files.readAllLines(out.resolve("_rejected/rejected.jsonl"));
        assertEquals(HostileCorpus.REJECTED, rejected.size());
        assertTrue(rejected.get(0).contains("a.jsonl") && rejected.get(0).contains("\"offset\":")
                && rejected.get(0).contains("wrong_field_type"), rejected.get(0));

        // An independent llm.c reader: concatenate each split's shards, cut at EOT (0), decode bytes.
        List<String> pieces = new ArrayList<>();
        for (Split s : Split.values()) {
            List<ShardInfo> shards = m.shards().stream().filter(x -> x.split().equals(s.id())).toList();
            assertFalse(shards.isEmpty(), "split " + s.id() + " has shards");
            List<Integer> stream = new ArrayList<>();
            for (int i = 0; i < shards.size(); i++) {
                ShardInfo info = shards.get(i);
                assertEquals(String.format("hostile_%s_%06d.bin", s.id(), i), info.path());
                Path file = out.resolve(info.path());
                LlmcShardFile f = LlmcShardFile.read(file);
                assertEquals(info.tokens(), f.count());
                assertTrue(i == shards.size() - 1 ? f.count() <= 40 : f.count() == 40, "shard size " + f.count());
                assertEquals(info.sha256(), sha256(Files.readAllBytes(file)));
                for (int t : f.tokens()) {
                    stream.add(t);
                }
            }
            assertEquals(0, stream.get(0), "a split starts with EOT");
            pieces.addAll(decodePieces(stream));
        }
        assertEquals(HostileCorpus.PIECES, pieces.size());
        List<String> whole = new ArrayList<>(pieces.stream().filter(p -> !p.startsWith("lorem") && !p.startsWith("ipsum")
                && !p.endsWith("ipsum") ).toList());
        String longDoc = String.join("", pieces.stream().filter(p -> !whole.contains(p)).toList());
        assertEquals(HostileCorpus.LONG_DOC, longDoc);
        whole.add(longDoc);
        assertEquals(new java.util.TreeSet<>(HostileCorpus.WRITTEN_DOCS), new java.util.TreeSet<>(whole));

        ValidationReport report = ShardSetValidator.validate(new org.apache.hadoop.fs.Path(out.toUri()),
                new Configuration(), true);
        assertTrue(report.valid(), report.problems().toString());
        JsonNode metrics = ManifestJson.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals(HostileCorpus.READ, metrics.get("documents_read").asLong());
        assertTrue(metrics.get("stage_millis").has("shards_train"));
    }

    @Test
    void rerunWithSameInputsIsByteIdenticalAndExistingOutputNeedsOverwrite() throws IOException {
        PrepConfig cfg = config("out2");
        new PrepareCorpus(cfg, ByteTokenizer.source(1)).run(spark);
        Map<String, byte[]> first = snapshot(Path.of(cfg.output()));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new PrepareCorpus(cfg, ByteTokenizer.source(1)).run(spark));
        assertTrue(refused.getMessage().contains("--overwrite"), refused.getMessage());
        assertArrayEquals(first.get("manifest.json"), Files.readAllBytes(Path.of(cfg.output(), "manifest.json")),
                "a refused run leaves the output alone");

        // what a driver killed mid-run leaves: the next run of this output removes it
        Path crashed = Files.createDirectories(tmp.resolve(".out2._temporary-killed-driver"));
        Files.writeString(crashed.resolve("hostile_train_000000.bin"), "partial");
        PrepConfig again = cfg.withSwitches(false, true);
        new PrepareCorpus(again, ByteTokenizer.source(1)).run(spark);
        assertFalse(Files.exists(crashed), "the stale work directory of a crashed run is removed");
        Map<String, byte[]> second = snapshot(Path.of(cfg.output()));
        assertEquals(first.keySet(), second.keySet());
        for (String name : first.keySet()) {
            if (name.equals("manifest.json")) {
                assertEquals(withoutRunFields(first.get(name)), withoutRunFields(second.get(name)));
            } else if (!name.contains("metrics.json") && !name.equals(".manifest.json.crc")) {
                assertArrayEquals(first.get(name), second.get(name), name + " differs between identical runs");
            }
        }
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains("_temporary")
                    || p.getFileName().toString().contains("_replaced")), "no work directories left behind");
        }
    }

    @Test
    void unreadableFileFailsTheJobNamingItUnlessSkipped() throws IOException {
        Path bad = tmp.resolve("bad-in");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("good.jsonl"), "{\"text\":\"fine\"}\n");
        Files.write(bad.resolve("broken.jsonl.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3});
        PrepConfig strict = new PrepConfig(List.of(bad.toString()), tmp.resolve("bad-out").toString(),
                InputFormat.JSONL, "text", "bytes", 0.0, 1000, 0, 1000, false, false, "b", 1, null);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> new PrepareCorpus(strict, ByteTokenizer.source(1)).run(spark));
        assertTrue(e.getMessage().contains("broken.jsonl.gz") && e.getMessage().contains("--skip-bad-files"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("bad-out")), "a failed job leaves no output");

        Manifest m = new PrepareCorpus(strict.withSwitches(true, false), ByteTokenizer.source(1)).run(spark);
        assertEquals(Map.of("unreadable_file", 1L), m.reconciliation().rejectedReasons());
        assertEquals(2, m.reconciliation().documentsRead());
        assertEquals(1, m.reconciliation().documentsWritten());
        assertTrue(Files.readString(tmp.resolve("bad-out/_rejected/rejected.jsonl")).contains("broken.jsonl.gz"));
    }

    @Test
    void largeVocabularyWritesLlmcUint32Shards() throws IOException {
        PrepConfig cfg = config("out32");
        Manifest m = new PrepareCorpus(cfg, ByteTokenizer.source(70_000)).run(spark);
        assertEquals("uint32", m.tokenDtype());
        LlmcShardFile f = LlmcShardFile.read(Path.of(cfg.output(), m.shards().get(0).path()));
        assertEquals(20240801, f.magic());
        assertEquals(7, f.version());
        assertEquals(0, f.tokens()[0]);
        assertTrue(f.tokens()[1] >= 70_000);
    }

    private static List<String> decodePieces(List<Integer> stream) {
        List<String> docs = new ArrayList<>();
        java.io.ByteArrayOutputStream cur = null;
        for (int t : stream) {
            if (t == 0) {
                if (cur != null) {
                    docs.add(cur.toString(StandardCharsets.UTF_8));
                }
                cur = new java.io.ByteArrayOutputStream();
            } else {
                cur.write(t - 1);
            }
        }
        docs.add(cur.toString(StandardCharsets.UTF_8));
        return docs;
    }

    static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static JsonNode withoutRunFields(byte[] manifest) throws IOException {
        ObjectNode node = (ObjectNode) ManifestJson.MAPPER.readTree(manifest);
        ((ObjectNode) node.get("provenance")).remove("created_at");
        ObjectNode config = (ObjectNode) node.get("provenance").get("config");
        config.remove("overwrite");
        return node;
    }

    private static String sha256(byte[] bytes) throws IOException {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
