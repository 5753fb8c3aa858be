package io.mosaspark.cuda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.parity.ParityReport;
import io.mosaspark.model.parity.TensorError;
import io.mosaspark.model.parity.Tolerance;
import io.mosaspark.model.preset.Preset;
import io.mosaspark.model.preset.Presets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CUDA backend's own entry point, for GPU hosts that carry only this module's jars (no Spark, no
 * ND4J natives):
 * <pre>
 *   parity [--dtype float64|float32|tf32] [--device N] [--json FILE] FILE.safetensors...
 *   step   [--preset tiny] [--model dense|matched|mosa:RHO] [--batch 8] [--seq-len T] [--precision tf32]
 *          [--warmup 3] [--repeats 10] [--profile false] [--device N] [--out FILE]
 *   attention [--precision tf32|bf16] [--cases NxLxHD,...] [--repeats 10] [--device N] [--out FILE]
 * </pre>
 * {@code step --profile true} adds each launch's host and GPU time ({@link LaunchProfile});
 * Each step is replayed as a CUDA graph ({@link TrainingStep}); {@code -Dmosa.cuda.graphs=false} launches directly.
 * {@code selection [--precision P]} holds the token selection kernel to its ranking definition, ties
 * included ({@link SelectionCheck}); exit 1 on a mismatch.
 * {@code attention} holds the fused attention kernels against the materialised path and float64
 * ({@link AttentionCheck}); exit 1 if a fused output is outside the tolerance.
 * {@code mosa parity --backend cuda} runs the same parity check from the full command line.
 * Exit codes of parity as {@code mosa parity}: 0 all within tolerance, 1 a tensor outside, 2 a file unreadable.
 */
public final class CudaMain {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CudaMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) usage("give a command: parity, step, attention or selection");
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) usage(args[i] + " needs a value");
                opts.put(args[i].substring(2), args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        int device = Integer.parseInt(opts.getOrDefault("device", "0"));
        switch (args[0]) {
            case "parity" -> System.exit(parity(device, Precision.parse(opts.getOrDefault("dtype", "float64")), null,
                    opts.get("json"), positional));
            case "step" -> step(device, opts);
            case "attention" -> System.exit(attention(device, opts));
            case "selection" -> System.exit(selection(device, opts));
            default -> usage("unknown command '" + args[0] + "'");
        }
    }

    /** Entry of {@code mosa parity --backend cuda} (called by reflection: the module is optional there). */
    public static int parity(int device, String precision, Tolerance tolerance, List<String> files) throws IOException {
        return parity(device, Precision.parse(precision), tolerance, null, files);
    }

    static int parity(int device, Precision precision, Tolerance tolerance, String jsonOut, List<String> files)
            throws IOException {
        if (files.isEmpty()) usage("parity needs at least one FILE.safetensors");
        Tolerance tol = tolerance != null ? tolerance : CudaParity.tolerance(precision);
        int exit = 0;
        List<Map<String, Object>> results = new ArrayList<>();
        try (Gpu gpu = new Gpu(device, precision)) {
            System.out.printf(Locale.ROOT, "CUDA backend on device %d (compute capability %s), %s, kernels compiled in %.2f s%n",
                    device, gpu.computeCapability(), precision, gpu.kernelCompileSeconds());
            for (String f : files) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("file", f);
                try {
                    ParityReport r = CudaParity.check(gpu, Path.of(f), tol);
                    if (!r.passed()) exit = Math.max(exit, 1);
                    System.out.print(r);
                    result.put("kind", r.kind());
                    result.put("passed", r.passed());
                    result.put("max_abs", r.maxAbs());
                    result.put("max_rel", r.maxRel());
                    List<Map<String, Object>> tensors = new ArrayList<>();
                    for (TensorError t : r.tensors()) {
                        tensors.add(Map.of("name", t.name(), "max_abs", t.maxAbs(), "max_rel", t.maxRel(), "ok", t.within(tol)));
                    }
                    result.put("tensors", tensors);
                } catch (RuntimeException | IOException e) {
                    exit = 2;
                    result.put("passed", false);
                    result.put("error", String.valueOf(e.getMessage()));
                    System.out.println("ERROR " + f + ": cannot be checked: " + e.getMessage());
                }
                results.add(result);
            }
            if (jsonOut != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("backend", "cuda");
                doc.put("precision", precision.name().toLowerCase(Locale.ROOT));
                doc.put("compute_capability", gpu.computeCapability());
                doc.put("tolerance", Map.of("abs", tol.abs(), "rel", tol.rel()));
                doc.put("passed", exit == 0);
                doc.put("files", results);
                writeAtomically(Path.of(jsonOut), JSON.writeValueAsString(doc));
            }
        }
        System.out.println(exit == 0 ? "all " + files.size() + " file(s) within tolerance" : "FAILED");
        return exit;
    }

    static void step(int device, Map<String, String> opts) throws IOException {
        Preset preset = Presets.load(opts.getOrDefault("preset", "tiny"));
        String kind = opts.getOrDefault("model", "dense");
        ModelConfig model = switch (kind) {
            case "dense" -> preset.dense();
            case "matched" -> preset.perplexityMatched();
            default -> {
                if (!kind.startsWith("mosa:")) usage("--model " + kind + ": use dense, matched or mosa:RHO");
                yield preset.mosa(Integer.parseInt(kind.substring(5)));
            }
        };
        if (opts.containsKey("seq-len")) model = model.withSeqLen(Integer.parseInt(opts.get("seq-len")));
        Precision precision = Precision.parse(opts.getOrDefault("precision", "tf32"));
        TrainingConfig training = preset.training();
        int batch = Integer.parseInt(opts.getOrDefault("batch", "8"));
        try (Gpu gpu = new Gpu(device, precision)) {
            Map<String, Object> r = StepBench.run(gpu, model, training, batch,
                    Integer.parseInt(opts.getOrDefault("warmup", "3")), Integer.parseInt(opts.getOrDefault("repeats", "10")), 1,
                    TrainingStep.graphsFromSystemProperty(), Boolean.parseBoolean(opts.getOrDefault("profile", "false")));
            r.put("model", kind);
            r.put("preset", preset.name());
            String json = JSON.writeValueAsString(r);
            System.out.println(json);
            if (opts.containsKey("out")) writeAtomically(Path.of(opts.get("out")), json);
        }
    }

    static int attention(int device, Map<String, String> opts) throws IOException {
        Precision precision = Precision.parse(opts.getOrDefault("precision", "tf32"));
        List<AttentionCheck.Case> cases = new ArrayList<>();
        for (String c : opts.getOrDefault("cases", "72x1024x64,6x200x64,4x130x32,3x77x16,5x33x8").split(",")) {
            cases.add(AttentionCheck.Case.parse(c.trim()));
        }
        double tolerance = AttentionCheck.tolerance(precision);
        Map<String, Object> r;
        try (Gpu reference = new Gpu(device, Precision.FLOAT64); Gpu gpu = new Gpu(device, precision)) {
            r = AttentionCheck.run(reference, gpu, cases, Integer.parseInt(opts.getOrDefault("repeats", "10")), tolerance);
        }
        String json = JSON.writeValueAsString(r);
        System.out.println(json);
        if (opts.containsKey("out")) writeAtomically(Path.of(opts.get("out")), json);
        return Boolean.TRUE.equals(r.get("passed")) ? 0 : 1;
    }

    static int selection(int device, Map<String, String> opts) throws IOException {
        List<SelectionCheck.Case> cases = List.of(new SelectionCheck.Case(8, 1024, 17, 32, false),
                new SelectionCheck.Case(8, 1024, 17, 32, true), new SelectionCheck.Case(3, 1000, 5, 250, true),
                new SelectionCheck.Case(2, 77, 3, 77, false), new SelectionCheck.Case(4, 33, 2, 1, false),
                new SelectionCheck.Case(2, 4096, 2, 128, true));
        Map<String, Object> r;
        try (Gpu gpu = new Gpu(device, Precision.parse(opts.getOrDefault("precision", "tf32")))) {
            r = SelectionCheck.run(gpu, cases, 7);
        }
        String json = JSON.writeValueAsString(r);
        System.out.println(json);
        if (opts.containsKey("out")) writeAtomically(Path.of(opts.get("out")), json);
        return Boolean.TRUE.equals(r.get("passed")) ? 0 : 1;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void usage(String why) {
        System.err.println("mosa-cuda: " + why + "\n  parity [--dtype float64|float32|tf32] [--json FILE] FILE.safetensors...\n"
                + "  step [--preset tiny] [--model dense|matched|mosa:RHO] [--batch 8] [--seq-len T] [--precision tf32|float32|float64] "
                + "[--warmup 3] [--repeats 10] [--profile true|false] [--out FILE]\n"
                + "  attention [--precision tf32|bf16] [--cases NxLxHD,...] [--repeats 10] [--out FILE]\n"
                + "  selection [--precision tf32|float64] [--out FILE]");
        System.exit(2);
    }
}
