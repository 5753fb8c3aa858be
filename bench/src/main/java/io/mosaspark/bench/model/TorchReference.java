package io.mosaspark.bench.model;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.model.config.ModelConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch (CPU) implementation of the same model, {@code bench/torch_mosa.py}, run as a
 * subprocess with the same config, batch and thread count. Absent torch is not an error: the
 * suite reports the comparison as skipped with the reason.
 */
public final class TorchReference {

    private final BenchOptions options;

    public TorchReference(BenchOptions options) {
        this.options = options;
    }

    /** Why the reference cannot run here, or empty if it can. */
    public Optional<String> unavailableReason() {
        if (!Files.isExecutable(options.python())) {
            return Optional.of(options.python() + " is not an executable Python interpreter (set --python)");
        }
        if (!Files.isRegularFile(options.torchScript())) {
            return Optional.of(options.torchScript() + " not found (run from the repository root or set --torch-script)");
        }
        try {
            Output out = exec(List.of(options.python().toString(), "-c", "import torch; print(torch.__version__)"), 120);
            return out.exit() == 0 ? Optional.empty()
                    : Optional.of(options.python() + " has no torch (Debian: apt-get install python3-torch): " + out.text().trim());
        } catch (IOException e) {
            return Optional.of("cannot start " + options.python() + ": " + e.getMessage());
        }
    }

    /** Times {@code repeats} training steps (forward, backward, clipping, Adam) and returns the script's JSON. */
    Map<String, Object> trainingStep(ModelConfig config, int batch, double gradClip) {
        return runScript(options.torchScript(), List.of("--bench",
                "--config-json", BenchReport.toJson(config),
                "--batch", Integer.toString(batch),
                "--grad-clip", Double.toString(gradClip),
                "--warmup", Integer.toString(options.warmup()),
                "--repeats", Integer.toString(options.repeats()),
                "--threads", Integer.toString(options.threads())));
    }

    /** Runs {@code script} (a sibling of torch_mosa.py) with {@code args} and returns the last JSON line it printed. */
    public Map<String, Object> runScript(java.nio.file.Path script, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(options.python().toString(), script.toString()));
        cmd.addAll(args);
        try {
            Output out = exec(cmd, options.child().timeoutS());
            if (out.exit() != 0) {
                throw new IllegalStateException("PyTorch reference failed (exit " + out.exit() + "): " + out.text().trim());
            }
            String last = out.text().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("PyTorch reference printed no JSON: " + out.text()));
            return BenchReport.JSON.readValue(last, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the PyTorch reference " + cmd + ": " + e.getMessage(), e);
        }
    }

    private record Output(int exit, String text) {
    }

    private Output exec(List<String> cmd, long timeoutS) throws IOException {
        // output goes to a file, not a pipe, so that waitFor's timeout holds even if the child hangs
        java.nio.file.Path log = Files.createTempFile("torch-ref", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(options.threads()));
            Process p = pb.start();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd.get(0) + " did not finish within " + timeoutS + " s");
            }
            return new Output(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + cmd.get(0), e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
