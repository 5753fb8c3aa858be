package io.mosaspark.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Timing;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.TrainConfigDefaults;
import io.mosaspark.train.checkpoint.CheckpointState;
import io.mosaspark.train.checkpoint.CheckpointStore;
import io.mosaspark.train.checkpoint.DataIdentity;
import io.mosaspark.train.checkpoint.ModelFiles;
import io.mosaspark.train.outer.OuterConfig;
import io.mosaspark.train.state.FlatVector;
import io.mosaspark.train.state.GlobalState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * {@link CheckpointStore} as the trainer uses it, on a local directory: {@code write} (safetensors of the
 * parameters, the Adam moments, state.json, SHA-256 sums, the marker, the rename) and {@code newestValid}
 * (find it, verify every hash, read the tensors back): a checkpoint's write time and a resume's read
 * time. Reads come from the page cache, as a resume right after a write would.
 */
final class CheckpointProbe {
    static final String NAME = "checkpoint";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOCAL_STEPS = TrainConfigDefaults.LOCAL_STEPS;
    private static final DataIdentity DATA = new DataIdentity("memory:bench", "none", null);

    private CheckpointProbe() {
    }

    static Map<String, Object> run(String json) {
        CheckpointSpec spec;
        try {
            spec = BenchReport.JSON.readValue(json, CheckpointSpec.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad " + NAME + " spec: " + e.getMessage(), e);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (NamedModel m : spec.models()) {
            try (Scratch dir = Scratch.create("bench-checkpoint")) {
                results.add(measure(m, spec, dir.path()));
            } catch (IOException e) {
                throw new UncheckedIOException("checkpoint of " + m.name() + " failed: " + e.getMessage(), e);
            }
        }
        return Map.of("results", results);
    }

    private static Map<String, Object> measure(NamedModel m, CheckpointSpec spec, java.nio.file.Path dir) throws IOException {
        TrainConfig config = new TrainConfig(m.model(), m.training().withSchedule(TrainingConfig.Schedule.CONSTANT, 0).withSteps(LOCAL_STEPS), "float32",
                TrainConfigDefaults.WORKERS, LOCAL_STEPS, 1, OuterConfig.averaging(), 0, 0, 0, 2,
                TrainConfigDefaults.AGGREGATION_DEPTH);
        JsonNode configJson = JSON.valueToTree(config);
        ModelFiles files = new ModelFiles(config);
        FlatVector params = files.initialParams();
        FlatVector adam = randomState(files.optimizerStateLength(), m.training().seed());
        Provenance provenance = Provenance.of("checkpoint", configJson, List.of(), List.of());
        CheckpointStore store = new CheckpointStore(new Path(dir.toUri()), new Configuration(), 2);
        List<Double> write = new ArrayList<>(), read = new ArrayList<>();
        long bytes = 0;
        int fileCount = 0;
        for (int i = 0; i < spec.warmup() + spec.repeats(); i++) {
            int round = i + 1;
            GlobalState state = new GlobalState(round, round * LOCAL_STEPS, params, adam, null, 0);
            long t0 = System.nanoTime();
            Path written = store.write(state, checkpointState(state, configJson, provenance), files, null, provenance);
            long t1 = System.nanoTime();
            var loaded = store.newestValid(configJson, DATA, files, null).orElseThrow();
            long t2 = System.nanoTime();
            if (loaded.global().round() != round || !loaded.global().params().equals(params)
                    || !loaded.global().optimizerState().equals(adam)) {
                throw new IllegalStateException("the resumed state differs from the written one (round " + round + ")");
            }
            if (i < spec.warmup()) continue;
            write.add((t1 - t0) / 1e9);
            read.add((t2 - t1) / 1e9);
            try (Stream<java.nio.file.Path> f = Files.walk(java.nio.file.Path.of(written.toUri()))) {
                List<java.nio.file.Path> regular = f.filter(Files::isRegularFile).toList();
                fileCount = regular.size();
                bytes = 0;
                for (var p : regular) bytes += Files.size(p);
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", m.name());
        r.put("parameters", params.length());
        r.put("optimizer_state_length", adam.length());
        r.put("bytes", bytes);
        r.put("files", fileCount);
        r.putAll(Timing.ofWall(write).fields("write"));
        r.putAll(Timing.ofWall(read).fields("read"));
        r.put("write_mb_per_s", bytes / 1e6 / Timing.median(write));
        r.put("read_mb_per_s", bytes / 1e6 / Timing.median(read));
        return r;
    }

    private static CheckpointState checkpointState(GlobalState s, JsonNode config, Provenance provenance) {
        return new CheckpointState(CheckpointState.FORMAT, CheckpointState.FORMAT_VERSION, s.round(), s.globalStep(),
                s.tokensSeen(), 0, new CheckpointState.Rng(1, 1, "bench: not trained"), config, DATA, List.of(), provenance);
    }

    /** Adam moments of a trained model are not zeros; random values keep the files honest about their size. */
    private static FlatVector randomState(int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float) r.nextDouble(-1e-3, 1e-3);
        return FlatVector.of(v);
    }
}
