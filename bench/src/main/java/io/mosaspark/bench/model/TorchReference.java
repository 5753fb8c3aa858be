package io.mosaspark.bench.model;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.model.config.ModelConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        return probe().missing;
    }

    /**
     * Why a timing against the reference would mislead, or empty if it would not: the reference cannot run,
     * or its torch multiplies with Netlib's reference BLAS (5-10x slower than an optimised BLAS, so a ratio
     * would measure that library, not PyTorch). The parity check ({@link #unavailableReason}) needs neither.
     */
    public Optional<String> unfitForTimingReason() {
        Probe p = probe();
        if (p.missing.isPresent()) return p.missing;
        return referenceBlas(p.blasLibraries).map(lib -> options.python() + "'s torch multiplies matrices with"
                + " reference BLAS (" + lib + "); install OpenBLAS, which Debian's torch then loads through libblas.so.3"
                + " (apt-get install libopenblas0-openmp), and run again");
    }

    /** What one start of the interpreter found: why torch cannot run, or the BLAS libraries it loaded. */
    private record Probe(Optional<String> missing, List<String> blasLibraries) {
    }

    private Probe probed;

    private synchronized Probe probe() {
        if (probed == null) probed = runProbe();
        return probed;
    }

    /**
     * Imports the reference script (and so torch) and prints, one per line, the BLAS libraries the process
     * mapped, with the script's own {@code blas_library()}: Debian's torch is built against the generic
     * {@code libblas.so.3}, which the alternatives system points at reference BLAS unless an optimised one
     * (OpenBLAS, BLIS) is installed.
     */
    private Probe runProbe() {
        if (!Files.isExecutable(options.python())) {
            return missing(options.python() + " is not an executable Python interpreter (set --python)");
        }
        if (!Files.isRegularFile(options.torchScript())) {
            return missing(options.torchScript() + " not found (run from the repository root or set --torch-script)");
        }
        Path dir = options.torchScript().toAbsolutePath().getParent();
        String module = options.torchScript().getFileName().toString().replaceFirst("\\.py$", "");
        String code = "import sys; sys.path.insert(0, " + pythonString(dir.toString()) + "); import " + module
                + "; print('\\n'.join(" + module + ".blas_library()))";
        try {
            Output out = exec(List.of(options.python().toString(), "-c", code), 120);
            if (out.exit() != 0) {
                return missing(options.python() + " has no torch (Debian: apt-get install python3-torch): " + out.text().trim());
            }
            return new Probe(Optional.empty(), out.text().lines().map(String::trim).filter(l -> l.startsWith("/")).toList());
        } catch (IOException e) {
            return missing("cannot start " + options.python() + ": " + e.getMessage());
        }
    }

    private static Probe missing(String reason) {
        return new Probe(Optional.of(reason), List.of());
    }

    /** {@code s} as a Python string literal. */
    private static String pythonString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * The first of {@code mappedLibraries} that is Netlib's reference BLAS: Debian installs it as
     * {@code …/blas/libblas.so.3}; optimised implementations sit in their own directories
     * ({@code openblas-pthread/}, {@code blis-openmp/}, …).
     */
    static Optional<String> referenceBlas(List<String> mappedLibraries) {
        return mappedLibraries.stream()
                .filter(l -> l.matches(".*/blas/libblas\\.so[.0-9]*")).findFirst();
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
