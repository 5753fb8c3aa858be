package io.mosaspark.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.model.checkpoint.LmSafeTensors;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.shards.manifest.TokenizerInfo;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.state.AtomicHadoopFiles;
import io.mosaspark.train.state.FlatVector;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A trained model as {@code mosa eval}, {@code generate} and {@code export} are pointed at it: either a
 * run directory or one checkpoint directory in it, on any Hadoop filesystem.
 *
 * <ul>
 *   <li>A run directory with {@code summary.json} (written last, so the run finished): its final
 *       {@code model.safetensors}, with {@code config.json} and the summary's data, tokens and
 *       validation loss.</li>
 *   <li>A run directory without one (a run still going, or one that crashed): its newest intact
 *       checkpoint, as {@code --resume} would pick it.</li>
 *   <li>A checkpoint directory ({@code round-NNNNNN/}): that checkpoint, its hashes verified.</li>
 * </ul>
 *
 * @param directory    what was resolved: the run directory (final model) or the checkpoint directory
 * @param weights      the safetensors file holding the parameters
 * @param finalModel   true for a finished run's final model, false for a checkpoint
 * @param round        rounds completed when these parameters were made
 * @param config       the run's resolved training config (the model is {@code config.model()})
 * @param data         the shard set it was trained on, with its tokenizer record
 * @param tokensSeen   training tokens consumed by all workers
 * @param provenance   how the weights were made (its parents: the shard set's provenance)
 * @param validationLoss the run's validation loss for these parameters, or null where none was recorded
 * @param label        what the run was asked for (e.g. "preset cpu-demo, model mosa, rho 8"), or null
 * @param runDirectory the run directory the weights belong to, or null for a checkpoint outside one
 */
public record TrainedModel(Path directory, Path weights, boolean finalModel, int round, TrainConfig config,
                           DataIdentity data, long tokensSeen, Provenance provenance, Double validationLoss,
                           String label, Path runDirectory) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SUMMARY = "summary.json";
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.safetensors";
    static final String CHECKPOINTS = "checkpoints";

    /**
     * Resolves {@code dir} as described above.
     *
     * @throws IllegalArgumentException naming the directory and what is wrong with it: neither kind, an
     *                                  incomplete or corrupt checkpoint, another code version's format
     */
    public static TrainedModel open(String dir, Configuration hadoop) throws IOException {
        Path path = new Path(dir);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path) || !fs.getFileStatus(path).isDirectory()) {
            throw new IllegalArgumentException("--checkpoint " + dir + ": no such directory; give a run directory of "
                    + "`mosa train` or one of its checkpoints/round-NNNNNN directories");
        }
        if (fs.exists(new Path(path, "state.json")) || path.getName().startsWith(CheckpointStore.PREFIX)) {
            return checkpoint(fs, path, hadoop);
        }
        if (fs.exists(new Path(path, SUMMARY))) return finalModel(fs, path);
        Path checkpoints = new Path(path, CHECKPOINTS);
        if (fs.exists(checkpoints)) {
            Optional<CheckpointStore.Intact> newest = new CheckpointStore(checkpoints, hadoop, Integer.MAX_VALUE).newestIntact();
            if (newest.isEmpty()) {
                throw new IllegalArgumentException("--checkpoint " + dir + ": the run has no summary.json (it did not finish) "
                        + "and no complete, intact checkpoint in " + checkpoints);
            }
            return fromCheckpoint(fs, newest.get().directory(), newest.get().state(), path);
        }
        throw new IllegalArgumentException("--checkpoint " + dir + " is neither a run directory (summary.json or "
                + "checkpoints/) nor a checkpoint (state.json and " + CheckpointStore.MARKER + ")");
    }

    private static TrainedModel checkpoint(FileSystem fs, Path dir, Configuration hadoop) throws IOException {
        if (!fs.exists(new Path(dir, CheckpointStore.MARKER))) {
            throw new IllegalArgumentException("--checkpoint " + dir + " is incomplete: it has no " + CheckpointStore.MARKER
                    + " marker (the run stopped while writing it); use an older checkpoint or the run directory");
        }
        Optional<String> damage = new CheckpointStore(dir.getParent(), hadoop, Integer.MAX_VALUE).verify(dir);
        if (damage.isPresent()) {
            throw new IllegalArgumentException("--checkpoint " + dir + " is corrupt: " + damage.get()
                    + "; use an older checkpoint or the run directory");
        }
        CheckpointState state = readJson(fs, new Path(dir, "state.json"), CheckpointState.class);
        Path parent = dir.getParent();
        Path run = parent != null && parent.getName().equals(CHECKPOINTS) ? parent.getParent() : null;
        return fromCheckpoint(fs, dir, state, run);
    }

    private static TrainedModel fromCheckpoint(FileSystem fs, Path dir, CheckpointState s, Path run) throws IOException {
        if (!CheckpointState.FORMAT.equals(s.format()) || s.formatVersion() != CheckpointState.FORMAT_VERSION) {
            throw new IllegalArgumentException("--checkpoint " + dir + ": checkpoint format " + s.format() + " v"
                    + s.formatVersion() + " is not this code's (" + CheckpointState.FORMAT + " v"
                    + CheckpointState.FORMAT_VERSION + "): it was written by another version of mosa-spark; use that version");
        }
        TrainConfig config = parse(s.config(), new Path(dir, "state.json"));
        JsonNode summary = run != null && fs.exists(new Path(run, SUMMARY)) ? readJson(fs, new Path(run, SUMMARY), JsonNode.class) : null;
        String label = summary != null && summary.hasNonNull("run") ? summary.get("run").asText() : null;
        return new TrainedModel(dir, new Path(dir, WEIGHTS), false, s.round(), config, s.data(), s.tokensSeen(),
                s.provenance(), run == null ? null : recordedValidation(fs, run, s.round()).orElse(null), label, run);
    }

    private static TrainedModel finalModel(FileSystem fs, Path run) throws IOException {
        Path weights = new Path(run, WEIGHTS);
        for (Path p : List.of(weights, new Path(run, CONFIG))) {
            if (!fs.exists(p)) {
                throw new IllegalArgumentException("--checkpoint " + run + " is incomplete: it has summary.json but no "
                        + p.getName());
            }
        }
        JsonNode summary = readJson(fs, new Path(run, SUMMARY), JsonNode.class);
        TrainConfig config = parse(readJson(fs, new Path(run, CONFIG), JsonNode.class), new Path(run, CONFIG));
        for (String key : List.of("rounds", "tokens_seen", "data", "val_loss")) {
            if (!summary.hasNonNull(key)) {
                throw new IllegalArgumentException(new Path(run, SUMMARY) + ": missing key '" + key
                        + "': not a summary this version of mosa train writes");
            }
        }
        DataIdentity data = JSON.treeToValue(summary.get("data"), DataIdentity.class);
        java.nio.file.Path local = AtomicHadoopFiles.download(fs, weights);
        Provenance provenance;
        try {
            provenance = LmSafeTensors.readProvenance(local);
        } finally {
            Files.deleteIfExists(local);
        }
        return new TrainedModel(run, weights, true, summary.get("rounds").asInt(), config, data,
                summary.get("tokens_seen").asLong(), provenance, summary.get("val_loss").asDouble(),
                summary.hasNonNull("run") ? summary.get("run").asText() : null, run);
    }

    /** The parameters, in the run's precision (DL4J's flat layout for {@code config}). */
    public FlatVector readParams(Configuration hadoop) throws IOException {
        return new ModelFiles(config).readSafeTensors(weights.getFileSystem(hadoop), weights);
    }

    /** The shard set's record of the tokenizer the model was trained with (its ids are the model's vocabulary). */
    public TokenizerInfo tokenizer() {
        if (data.tokenizer() == null || data.tokenizer().isNull()) {
            throw new IllegalArgumentException(directory + ": records no tokenizer for its shard set " + data.source());
        }
        try {
            return JSON.treeToValue(data.tokenizer(), TokenizerInfo.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(directory + ": its tokenizer record is unreadable (" + e.getOriginalMessage()
                    + "): written by another version of mosa-spark?", e);
        }
    }

    /**
     * Where the tokenizer's files may be: the run's copy first, then the shard set's own. Empty for a
     * pretrained encoding, which its name identifies.
     */
    public List<String> tokenizerDirectories() {
        List<String> dirs = new ArrayList<>();
        if (tokenizer().path() == null) return dirs;
        if (runDirectory != null) dirs.add(new Path(runDirectory, "tokenizer").toString());
        dirs.add(new Path(new Path(data.source()), tokenizer().path()).toString());
        return dirs;
    }

    /** "final model of RUN (round 3)" or "checkpoint RUN/checkpoints/round-000002": for messages and cards. */
    public String describe() {
        return (finalModel ? "final model of " : "checkpoint ") + directory + " (round " + round + ")";
    }

    /** The last validation loss {@code metrics*.jsonl} records for {@code round}, if any. */
    private static Optional<Double> recordedValidation(FileSystem fs, Path run, int round) throws IOException {
        if (!fs.exists(run)) return Optional.empty();
        FileStatus[] files = fs.listStatus(run, p -> p.getName().startsWith("metrics") && p.getName().endsWith(".jsonl"));
        Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
        Double found = null;
        for (FileStatus f : files) {
            for (String line : AtomicHadoopFiles.readString(fs, f.getPath()).split("\n")) {
                if (line.isBlank()) continue;
                JsonNode n = JSON.readTree(line);
                if ("eval".equals(n.path("kind").asText()) && n.path("round").asInt(-1) == round && n.hasNonNull("val_loss")) {
                    found = n.get("val_loss").asDouble();
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** The training config in {@code json}; one this version cannot read is named with the key it stumbled on. */
    private static TrainConfig parse(JsonNode json, Path source) {
        if (json == null || json.isNull()) throw new IllegalArgumentException(source + ": it records no training config");
        try {
            return JSON.treeToValue(json, TrainConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": its training config is not this version's ("
                    + e.getOriginalMessage() + "): written by another version of mosa-spark?", e);
        }
    }

    private static <T> T readJson(FileSystem fs, Path file, Class<T> type) throws IOException {
        try {
            return JSON.readValue(AtomicHadoopFiles.readString(fs, file), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not readable as this version's "
                    + type.getSimpleName() + " (" + e.getOriginalMessage() + "): written by another version of mosa-spark?", e);
        }
    }
}
