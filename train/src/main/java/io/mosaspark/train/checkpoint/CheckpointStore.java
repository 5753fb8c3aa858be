package io.mosaspark.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.train.round.InnerStates;
import io.mosaspark.train.state.AtomicHadoopFiles;
import io.mosaspark.train.state.FlatVector;
import io.mosaspark.train.state.GlobalState;
import io.mosaspark.train.state.VectorFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The checkpoints of a run: {@code <run>/checkpoints/round-NNNNNN/}, on any Hadoop filesystem.
 *
 * <pre>
 * round-000012/
 *   model.safetensors      parameters under the canonical names (a PyTorch user loads it)
 *   optimizer.bin          parameter averaging: the global Adam moments (DL4J's flat updater layout)
 *   outer_momentum.bin     DiLoCo: the outer Nesterov buffer
 *   inner/worker-NNNNN.bin DiLoCo: each worker's inner Adam state
 *   routing/…              the run's routing statistics so far (docs/routing.md), when collected
 *   state.json             round, step, data position, seeds, config, shard set, provenance
 *   SHA256SUMS             sha256sum-format hashes of every file above
 *   _COMPLETE              written last: the hash of SHA256SUMS
 * </pre>
 *
 * A checkpoint is written under a temporary name ({@code _tmp-…}) and renamed when complete, so a
 * crash leaves a directory nobody mistakes for a checkpoint. Reading verifies every hash; a corrupt
 * newest checkpoint is skipped with a warning for the one before it. The last {@code keep} complete
 * checkpoints are kept.
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String PREFIX = "round-";
    static final String MARKER = "_COMPLETE";
    static final String SUMS = "SHA256SUMS";

    private final Path directory;
    private final FileSystem fs;
    private final int keep;

    public CheckpointStore(Path directory, Configuration hadoop, int keep) throws IOException {
        this.directory = directory;
        this.fs = directory.getFileSystem(hadoop);
        this.keep = keep;
    }

    /** A checkpoint as read back: its state record, the global state and the directory it came from. */
    public record Loaded(Path directory, CheckpointState state, GlobalState global) {
    }

    public Path directory() {
        return directory;
    }

    public static String name(int round) {
        return String.format(Locale.ROOT, PREFIX + "%06d", round);
    }

    /** Writes a checkpoint of {@code global}; {@code inner} is the run's DiLoCo state store (or null). */
    public Path write(GlobalState global, CheckpointState state, ModelFiles model, InnerStates inner,
                      Provenance provenance) throws IOException {
        return write(global, state, model, inner, provenance, null);
    }

    /** As {@link #write(GlobalState, CheckpointState, ModelFiles, InnerStates, Provenance)}, with a copy of {@code routing}'s files (or null). */
    public Path write(GlobalState global, CheckpointState state, ModelFiles model, InnerStates inner,
                      Provenance provenance, Path routing) throws IOException {
        fs.mkdirs(directory);
        Path tmp = new Path(directory, "_tmp-" + name(global.round()) + "-" + UUID.randomUUID());
        Path target = new Path(directory, name(global.round()));
        try {
            fs.mkdirs(tmp);
            List<String> files = new ArrayList<>();
            model.writeSafeTensors(fs, new Path(tmp, "model.safetensors"), global.params(), provenance);
            files.add("model.safetensors");
            if (global.optimizerState() != null) {
                VectorFiles.writeAtomically(fs, new Path(tmp, "optimizer.bin"), global.optimizerState());
                files.add("optimizer.bin");
            }
            if (global.outerMomentum() != null) {
                VectorFiles.writeAtomically(fs, new Path(tmp, "outer_momentum.bin"), global.outerMomentum());
                files.add("outer_momentum.bin");
            }
            if (inner != null && global.round() > 0) {
                Path from = inner.roundDirectory(global.round());
                for (FileStatus f : listSorted(from)) {
                    if (f.getPath().getName().startsWith(".")) continue;
                    Path to = new Path(tmp, "inner/" + f.getPath().getName());
                    if (!FileUtil.copy(fs, f.getPath(), fs, to, false, fs.getConf())) {
                        throw new IOException("cannot copy " + f.getPath() + " into checkpoint " + tmp);
                    }
                    files.add("inner/" + f.getPath().getName());
                }
            }
            if (routing != null) {
                for (FileStatus f : listSorted(routing)) {
                    if (!f.isFile() || f.getPath().getName().startsWith(".")) continue;
                    String name = "routing/" + f.getPath().getName();
                    if (!FileUtil.copy(fs, f.getPath(), fs, new Path(tmp, name), false, fs.getConf())) {
                        throw new IOException("cannot copy " + f.getPath() + " into checkpoint " + tmp);
                    }
                    files.add(name);
                }
            }
            CheckpointState complete = withFiles(state, files);
            AtomicHadoopFiles.writeString(fs, new Path(tmp, "state.json"), JSON.writeValueAsString(complete));
            files.add("state.json");
            StringBuilder sums = new StringBuilder();
            for (String f : files) sums.append(AtomicHadoopFiles.sha256(fs, new Path(tmp, f))).append("  ").append(f).append('\n');
            AtomicHadoopFiles.writeString(fs, new Path(tmp, SUMS), sums.toString());
            AtomicHadoopFiles.writeString(fs, new Path(tmp, MARKER), AtomicHadoopFiles.sha256(fs, new Path(tmp, SUMS)) + "\n");
            if (fs.exists(target)) fs.delete(target, true); // an older attempt at this round (e.g. a corrupt one)
            if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
        } finally {
            if (fs.exists(tmp)) fs.delete(tmp, true);
        }
        prune();
        return target;
    }

    private static CheckpointState withFiles(CheckpointState s, List<String> files) {
        return new CheckpointState(s.format(), s.formatVersion(), s.round(), s.globalStep(), s.tokensSeen(),
                s.dataPosition(), s.rng(), s.config(), s.data(), List.copyOf(files), s.provenance());
    }

    /**
     * The newest checkpoint that is complete and intact, checked against this run's config and data.
     * A corrupt or incomplete one is skipped with a warning; one made for another config or shard set
     * is refused (an {@link IllegalArgumentException} naming the first differing key).
     */
    public Optional<Loaded> newestValid(JsonNode config, DataIdentity data, ModelFiles model, InnerStates inner)
            throws IOException {
        Optional<Intact> newest = newestIntact();
        if (newest.isEmpty()) return Optional.empty();
        Intact c = newest.get();
        refuseIfOther(c.directory(), c.state(), config, data);
        return Optional.of(new Loaded(c.directory(), c.state(), load(c.directory(), c.state(), model, inner)));
    }

    /**
     * Refuses, as {@link #newestValid} would, a resume whose checkpoint was made for another config or
     * shard set, without reading its tensors: for checking a request before any Spark work.
     */
    public void requireResumable(JsonNode config, DataIdentity data) throws IOException {
        Optional<Intact> newest = newestIntact();
        if (newest.isPresent()) refuseIfOther(newest.get().directory(), newest.get().state(), config, data);
    }

    /** A complete checkpoint whose files match their hashes, and its state record. */
    record Intact(Path directory, CheckpointState state) {
    }

    /** The newest complete checkpoint whose files match their hashes; corrupt ones are skipped with a warning. */
    Optional<Intact> newestIntact() throws IOException {
        List<Path> candidates = complete();
        for (int i = candidates.size() - 1; i >= 0; i--) {
            Path dir = candidates.get(i);
            Optional<String> damage = verify(dir);
            if (damage.isPresent()) {
                LOG.warn("checkpoint {} is corrupt ({}); {}", dir, damage.get(),
                        i > 0 ? "falling back to " + candidates.get(i - 1).getName() : "no older checkpoint is left");
                continue;
            }
            CheckpointState state = JSON.readValue(AtomicHadoopFiles.readString(fs, new Path(dir, "state.json")),
                    CheckpointState.class);
            return Optional.of(new Intact(dir, state));
        }
        return Optional.empty();
    }

    private void refuseIfOther(Path dir, CheckpointState state, JsonNode config, DataIdentity data) {
        if (!CheckpointState.FORMAT.equals(state.format()) || state.formatVersion() != CheckpointState.FORMAT_VERSION) {
            throw new IllegalArgumentException(dir + ": checkpoint format " + state.format() + " v" + state.formatVersion()
                    + " is not this code's (" + CheckpointState.FORMAT + " v" + CheckpointState.FORMAT_VERSION + ")");
        }
        Optional<String> d = ConfigMatch.firstDifference(state.config(), config);
        if (d.isPresent()) {
            throw new IllegalArgumentException("cannot resume from " + dir + ": it was made for another config ("
                    + d.get() + "). Resume with the checkpoint's config, or train into a new --out directory");
        }
        Optional<String> dd = ConfigMatch.firstDifference(JSON.valueToTree(state.data()), JSON.valueToTree(data));
        if (dd.isPresent()) {
            throw new IllegalArgumentException("cannot resume from " + dir + ": it was made on another shard set (data."
                    + dd.get() + "). Resume with the same --data, or train into a new --out directory");
        }
    }

    private GlobalState load(Path dir, CheckpointState s, ModelFiles model, InnerStates inner) throws IOException {
        FlatVector params = model.readSafeTensors(fs, new Path(dir, "model.safetensors"));
        FlatVector optimizer = s.files().contains("optimizer.bin") ? VectorFiles.read(fs, new Path(dir, "optimizer.bin")) : null;
        FlatVector momentum = s.files().contains("outer_momentum.bin")
                ? VectorFiles.read(fs, new Path(dir, "outer_momentum.bin")) : null;
        if (inner != null) {
            // put the workers' inner states where the next round's tasks look for them
            Path to = inner.roundDirectory(s.round());
            fs.mkdirs(to);
            for (String f : s.files()) {
                if (!f.startsWith("inner/")) continue;
                Path target = new Path(to, f.substring("inner/".length()));
                if (!FileUtil.copy(fs, new Path(dir, f), fs, target, false, true, fs.getConf())) {
                    throw new IOException("cannot restore " + new Path(dir, f) + " to " + target);
                }
            }
        }
        return new GlobalState(s.round(), s.globalStep(), params, optimizer, momentum, s.tokensSeen());
    }

    /** Why {@code dir} is not intact (a missing file or a hash mismatch), or empty when it is. */
    Optional<String> verify(Path dir) throws IOException {
        Path sums = new Path(dir, SUMS);
        if (!fs.exists(sums)) return Optional.of(SUMS + " is missing");
        String expected = AtomicHadoopFiles.readString(fs, new Path(dir, MARKER)).trim();
        if (!expected.equals(AtomicHadoopFiles.sha256(fs, sums))) return Optional.of(SUMS + " does not match " + MARKER);
        for (String line : AtomicHadoopFiles.readString(fs, sums).split("\n")) {
            if (line.isBlank()) continue;
            String hash = line.substring(0, 64), name = line.substring(66);
            Path f = new Path(dir, name);
            if (!fs.exists(f)) return Optional.of(name + " is missing");
            if (!hash.equals(AtomicHadoopFiles.sha256(fs, f))) return Optional.of(name + ": sha256 mismatch");
        }
        return Optional.empty();
    }

    /** Complete checkpoints (those with a marker), oldest first. */
    public List<Path> complete() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!fs.exists(directory)) return out;
        for (FileStatus s : listSorted(directory)) {
            String n = s.getPath().getName();
            if (s.isDirectory() && n.startsWith(PREFIX) && fs.exists(new Path(s.getPath(), MARKER))) out.add(s.getPath());
        }
        return out;
    }

    /** Deletes all but the newest {@code keep} complete checkpoints, and temporaries a crash left behind. */
    private void prune() throws IOException {
        List<Path> all = complete();
        for (int i = 0; i < all.size() - keep; i++) fs.delete(all.get(i), true);
        for (FileStatus s : listSorted(directory)) {
            if (s.getPath().getName().startsWith("_tmp-")) fs.delete(s.getPath(), true);
        }
    }

    private List<FileStatus> listSorted(Path dir) throws IOException {
        if (!fs.exists(dir)) return List.of();
        FileStatus[] all = fs.listStatus(dir);
        Arrays.sort(all, Comparator.comparing(s -> s.getPath().getName()));
        return Arrays.asList(all);
    }
}
