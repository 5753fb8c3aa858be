package io.mosaspark.shards.set;

import io.mosaspark.shards.format.InvalidShardException;
import io.mosaspark.shards.format.ShardFormat;
import io.mosaspark.shards.format.ShardReader;
import io.mosaspark.shards.format.TokenWidth;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.ManifestJson;
import io.mosaspark.shards.manifest.ShardInfo;
import io.mosaspark.shards.manifest.Split;
import io.mosaspark.shards.manifest.SplitTotals;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks a shard set against its manifest: committed (_SUCCESS), manifest readable and of a readable
 * version, every listed shard present with a valid header, the size its header promises and the
 * manifest's token count, names numbered 0..n-1 per split, no unlisted shards, totals and the
 * reconciliation adding up. A full check also streams every shard for its SHA-256, its EOT count
 * (= documents) and token ids below the vocabulary size.
 */
public final class ShardSetValidator {
    private ShardSetValidator() {
    }

    public static ValidationReport validate(Path dir, Configuration conf, boolean full) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        List<String> problems = new ArrayList<>();
        if (!fs.exists(dir)) {
            return new ValidationReport(dir.toString(), null, List.of(dir + " does not exist"));
        }
        if (!fs.exists(new Path(dir, ShardSet.COMMIT_MARKER))) {
            problems.add("no " + ShardSet.COMMIT_MARKER + " marker: the job that wrote " + dir + " did not commit");
        }
        Path manifestPath = new Path(dir, Manifest.FILE_NAME);
        if (!fs.exists(manifestPath)) {
            problems.add("no " + Manifest.FILE_NAME + " in " + dir);
            return new ValidationReport(dir.toString(), null, problems);
        }
        Manifest m;
        try {
            m = ManifestJson.read(manifestPath, conf);
        } catch (IOException e) {
            problems.add(e.getMessage());
            return new ValidationReport(dir.toString(), null, problems);
        }
        List<String> missing = new ArrayList<>();
        if (m.shardTokens() < 1) {
            missing.add("shard_tokens");
        }
        if (m.tokenizer() == null) {
            missing.add("tokenizer");
        }
        if (m.shards() == null) {
            missing.add("shards");
        }
        if (m.totals() == null) {
            missing.add("totals");
        }
        if (m.reconciliation() == null) {
            missing.add("reconciliation");
        }
        if (m.provenance() == null) {
            missing.add("provenance");
        }
        if (!missing.isEmpty()) {
            problems.add(manifestPath + " lacks " + String.join(", ", missing));
            return new ValidationReport(dir.toString(), null, problems);
        }
        TokenWidth width;
        try {
            width = TokenWidth.forDtype(m.tokenDtype());
        } catch (IllegalArgumentException e) {
            problems.add("manifest token_dtype: " + e.getMessage());
            return new ValidationReport(dir.toString(), m, problems);
        }
        if (width != TokenWidth.forVocabSize(m.tokenizer().vocabSize())) {
            problems.add("token_dtype " + m.tokenDtype() + " does not match vocab_size " + m.tokenizer().vocabSize());
        }
        checkShards(fs, dir, m, width, full, problems);
        checkTotals(m, problems);
        return new ValidationReport(dir.toString(), m, problems);
    }

    private static void checkShards(FileSystem fs, Path dir, Manifest m, TokenWidth width, boolean full,
                                    List<String> problems) throws IOException {
        Set<String> listed = new HashSet<>();
        for (Split split : Split.values()) {
            List<ShardInfo> of = m.shards().stream().filter(s -> s.split().equals(split.id())).toList();
            for (int i = 0; i < of.size(); i++) {
                ShardInfo s = of.get(i);
                String expectedName = ShardFormat.fileName(m.name(), split.id(), i);
                if (!s.path().equals(expectedName)) {
                    problems.add("shard " + i + " of split " + split.id() + " is " + s.path() + ", expected "
                            + expectedName);
                }
                if (i < of.size() - 1 && s.tokens() != m.shardTokens()) {
                    problems.add(s.path() + ": " + s.tokens() + " tokens, but every shard except a split's last holds "
                            + "shard_tokens = " + m.shardTokens());
                }
                listed.add(s.path());
                checkShard(fs, new Path(dir, s.path()), s, m, width, full, problems);
            }
        }
        if (listed.size() != m.shards().size()) {
            problems.add("manifest lists shards with an unknown split or twice");
        }
        for (FileStatus f : fs.listStatus(dir)) {
            String n = f.getPath().getName();
            if (n.endsWith(".bin") && !listed.contains(n)) {
                problems.add(n + " is in the directory but not in the manifest");
            }
        }
    }

    private static void checkShard(FileSystem fs, Path path, ShardInfo s, Manifest m, TokenWidth width, boolean full,
                                   List<String> problems) throws IOException {
        try (ShardReader r = ShardReader.open(path, fs.getConf())) {
            if (r.header().width() != width) {
                problems.add(path + ": header says " + r.header().width().dtype() + ", manifest says " + width.dtype());
            }
            if (r.tokenCount() != s.tokens()) {
                problems.add(path + ": header holds " + r.tokenCount() + " tokens, manifest says " + s.tokens());
            }
            if (r.header().fileBytes() != s.bytes()) {
                problems.add(path + ": " + r.header().fileBytes() + " bytes, manifest says " + s.bytes());
            }
        } catch (InvalidShardException e) {
            problems.add(e.getMessage());
            return;
        } catch (java.io.FileNotFoundException e) {
            problems.add(path + " is listed in the manifest but missing");
            return;
        }
        if (full) {
            scan(path, fs, s, m, width, problems);
        }
    }

    /** Streams the shard: SHA-256 of the file, EOT count, largest token id. */
    private static void scan(Path path, FileSystem fs, ShardInfo s, Manifest m, TokenWidth width,
                             List<String> problems) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int eot = m.tokenizer().eotToken();
        long documents = 0;
        long maxId = -1;
        byte[] buf = new byte[1 << 16]; // a multiple of both widths, so no token straddles two reads
        int[] tokens = new int[buf.length / width.bytesPerToken()];
        try (InputStream in = fs.open(path)) {
            byte[] header = in.readNBytes(ShardFormat.HEADER_BYTES);
            sha.update(header);
            for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
                sha.update(buf, 0, n);
                int count = n / width.bytesPerToken();
                width.decode(buf, count, tokens, 0);
                for (int i = 0; i < count; i++) {
                    long t = Integer.toUnsignedLong(tokens[i]);
                    documents += t == eot ? 1 : 0;
                    maxId = Math.max(maxId, t);
                }
            }
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        if (s.sha256() != null && !hex.equals(s.sha256())) {
            problems.add(path + ": sha256 " + hex + " does not match the manifest's " + s.sha256() + " (corrupt)");
        }
        if (documents != s.documents()) {
            problems.add(path + ": " + documents + " EOT-delimited documents, manifest says " + s.documents());
        }
        if (maxId >= m.tokenizer().vocabSize()) {
            problems.add(path + ": token id " + maxId + " >= vocab_size " + m.tokenizer().vocabSize());
        }
    }

    private static void checkTotals(Manifest m, List<String> problems) {
        Map<String, SplitTotals> expected = SplitTotals.bySplit(m.shards());
        for (Map.Entry<String, SplitTotals> e : expected.entrySet()) {
            if (!e.getValue().equals(m.totals().get(e.getKey()))) {
                problems.add("totals." + e.getKey() + " is " + m.totals().get(e.getKey()) + ", shards sum to "
                        + e.getValue());
            }
        }
        long pieces = expected.values().stream().mapToLong(SplitTotals::documents).sum();
        if (!m.reconciliation().balanced()) {
            problems.add("reconciliation does not add up: " + m.reconciliation());
        }
        if (pieces != m.reconciliation().piecesWritten()) {
            problems.add("shards hold " + pieces + " documents, reconciliation.pieces_written says "
                    + m.reconciliation().piecesWritten());
        }
    }
}
