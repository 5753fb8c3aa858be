package io.mosaspark.bench.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.lm.LmParamShapes;
import io.mosaspark.model.preset.Preset;
import io.mosaspark.model.preset.Presets;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.data.InMemoryTokens;
import io.mosaspark.train.device.DeviceBinding;
import io.mosaspark.train.outer.OuterConfig;
import io.mosaspark.train.round.FaultPlan;
import io.mosaspark.train.round.RoundInput;
import io.mosaspark.train.round.RoundSum;
import io.mosaspark.train.round.WorkerSetup;
import io.mosaspark.train.round.WorkerTask;
import io.mosaspark.train.state.FlatVector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trainer's worker loop ({@link WorkerTask#run}) in one JVM without Spark, one worker, for comparing
 * backends on the same data, seed and initial parameters (docs/gpu.md, "Training on the GPU"): R rounds of
 * H local steps, each round's parameters and Adam state handed to the next as the driver does for one
 * worker. Both backends start from the same parameters, drawn from the seed in plain Java
 * ({@link #initialParams}), so a GPU host without ND4J's native libraries starts where a CPU run does.
 * <pre>
 *   WorkerLoopRun --backend cpu|mosa-cuda [--preset tiny] [--model dense|matched] [--set K=V]...
 *                 [--rounds 6] [--local-steps 10] [--routing-every N] --out FILE.json
 * </pre>
 * The data are a learnable synthetic stream (a fixed random successor per token, followed with probability
 * 0.8, over the first 1000 token ids), so the loss curve falls well below ln V within a few dozen steps.
 */
public final class WorkerLoopRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int ALPHABET = 1000;

    private WorkerLoopRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + ": expected --name value pairs");
            }
            if (args[i].equals("--set")) sets.add(args[i + 1]);
            else opts.put(args[i].substring(2), args[i + 1]);
        }
        String backend = opts.getOrDefault("backend", "cpu");
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "6"));
        int h = Integer.parseInt(opts.getOrDefault("local-steps", "10"));
        Preset preset = Presets.load(opts.getOrDefault("preset", "tiny"), sets);
        String kind = opts.getOrDefault("model", "dense");
        ModelConfig model = kind.equals("matched") ? preset.perplexityMatched() : preset.dense();
        TrainingConfig training = preset.training().withSteps(rounds * h);
        TrainConfig config = new TrainConfig(model, training, opts.getOrDefault("precision", "float32"), 1, h, rounds,
                OuterConfig.averaging(), 0, 0, 0, 1, 2, Integer.parseInt(opts.getOrDefault("routing-every", "0")));
        int t = model.seqLen(), b = config.batchSize();
        InMemoryTokens data = new InMemoryTokens(tokens((long) rounds * h * b * t + 1, model.vocabSize(), training.seed()),
                tokens(4L * t + 1, model.vocabSize(), training.seed() + 1), t, 1, training.seed());
        WorkerSetup setup = new WorkerSetup(config, "worker-loop", data, null, FaultPlan.NONE);

        FlatVector params = initialParams(model, training.seed());
        System.setProperty("mosa.backend", backend);
        DeviceBinding binding = backend.equals("cpu") ? DeviceBinding.CPU
                : DeviceBinding.forAddress(opts.getOrDefault("device", "0"), "worker loop");
        FlatVector state = FlatVector.zeros(config.dataType(), 2 * params.length());

        List<Map<String, Object>> perRound = new ArrayList<>();
        String device = null;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            RoundSum s = WorkerTask.run(setup, new RoundInput(r, r * h, params, state), 0, binding);
            double wall = (System.nanoTime() - t0) / 1e9;
            params = s.params();
            state = s.optimizerState();
            device = String.join(",", s.devices());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("round", r);
            row.put("steps_done", (r + 1) * h);
            row.put("mean_loss", s.meanLoss());
            row.put("step_seconds", s.maxComputeSeconds());
            row.put("round_wall_seconds", wall);
            row.put("tokens_per_s", s.tokens() / s.maxComputeSeconds());
            perRound.add(row);
            System.out.printf(java.util.Locale.ROOT, "round %d: loss %.4f, %.0f tokens/s (steps), %.2f s wall%n", r,
                    s.meanLoss(), s.tokens() / s.maxComputeSeconds(), wall);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("backend", backend);
        doc.put("device", device);
        doc.put("model", kind);
        doc.put("preset", preset.name());
        doc.put("overrides", sets);
        doc.put("rounds", rounds);
        doc.put("local_steps", h);
        doc.put("batch", b);
        doc.put("seq_len", t);
        doc.put("params", params.length());
        // tokens/s over rounds after the first (which builds the model and, on the GPU, compiles kernels)
        double tokens = 0, seconds = 0;
        for (Map<String, Object> row : perRound.subList(Math.min(1, perRound.size() - 1), perRound.size())) {
            tokens += (double) h * b * t;
            seconds += (double) row.get("round_wall_seconds");
        }
        doc.put("tokens_per_s_after_first_round", tokens / seconds);
        doc.put("per_round", perRound);
        doc.put("config", config);
        Path out = Path.of(opts.getOrDefault("out", "worker-loop.json"));
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(doc) + "\n");
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.exit(0);   // the CUDA backend's per-GPU model stays cached; nothing else to wait for
    }

    /** {@code n} tokens: each follows a fixed random successor of the previous with probability 0.8. */
    static int[] tokens(long n, int vocab, long seed) {
        int alphabet = Math.min(ALPHABET, vocab);
        SplittableRandom table = new SplittableRandom(42), rnd = new SplittableRandom(seed);
        int[] next = new int[alphabet];
        for (int i = 0; i < alphabet; i++) next[i] = table.nextInt(alphabet);
        int[] out = new int[Math.toIntExact(n)];
        out[0] = rnd.nextInt(alphabet);
        for (int i = 1; i < out.length; i++) out[i] = rnd.nextDouble() < 0.8 ? next[out[i - 1]] : rnd.nextInt(alphabet);
        return out;
    }

    /**
     * Initial parameters from the seed alone, the same on every JVM (SplittableRandom's sequence is fixed by
     * its specification), drawn as the ND4J path draws them: matrices Normal(0, 0.02²), LayerNorm gains 1 and
     * biases 0, in the graph's order. So a GPU host without ND4J's native code starts where a CPU run does.
     */
    static FlatVector initialParams(ModelConfig model, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long total = LmParamShapes.of(model).values().stream().mapToLong(LmParamShapes::size).sum();
        float[] v = new float[Math.toIntExact(total)];
        int off = 0;
        for (Map.Entry<String, long[]> e : LmParamShapes.of(model).entrySet()) {
            int n = Math.toIntExact(LmParamShapes.size(e.getValue()));
            if (LmParamShapes.decays(e.getValue())) {
                for (int i = 0; i < n; i++) {
                    double u = rnd.nextDouble(), w = rnd.nextDouble();
                    v[off + i] = (float) (0.02 * Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w));
                }
            } else if (e.getKey().endsWith(".weight")) {
                java.util.Arrays.fill(v, off, off + n, 1f);
            }
            off += n;
        }
        return FlatVector.of(v);
    }
}
