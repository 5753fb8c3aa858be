package io.mosaspark.bench.model;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mosaspark.bench.harness.BenchReport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link Probe} in a fresh JVM with this JVM's classpath and a fixed thread count, and
 * returns the JSON object it prints. A fresh JVM per measurement gives clean memory peaks and makes
 * the thread count certain: OpenMP and OpenBLAS read it from the environment once, at load time.
 *
 * @param heap      the child's -Xmx, e.g. "4g"
 * @param offHeap   the child's javacpp off-heap limit (ND4J arrays live there), e.g. "12g"
 * @param threads   OMP_NUM_THREADS / OPENBLAS_NUM_THREADS of the child
 * @param timeoutS  the child is killed after this many seconds
 */
public record ChildJvm(String heap, String offHeap, int threads, long timeoutS) {

    /** Marks the child's result line on stdout, which may carry library chatter too. */
    public static final String RESULT_PREFIX = "PROBE-RESULT ";

    public ChildJvm {
        if (threads < 1) throw new IllegalArgumentException("threads = " + threads + ": must be >= 1");
        if (timeoutS < 1) throw new IllegalArgumentException("timeout = " + timeoutS + " s: must be >= 1");
    }

    public Map<String, Object> run(String probe, Map<String, Object> spec) {
        return run(Probe.class, List.of(), probe, spec);
    }

    /**
     * Like {@link #run(String, Map)}, through another entry point (a main that answers as {@link Probe#serve}
     * does) and with extra JVM options, e.g. the module openings a Spark driver needs on Java 17.
     */
    public Map<String, Object> run(Class<?> entry, List<String> jvmOptions, String probe, Map<String, Object> spec) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Xss4m",
                "-Dorg.bytedeco.javacpp.maxbytes=" + offHeap,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=0"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), entry.getName(), probe, BenchReport.toJson(spec)));
        Path stderr;
        try {
            stderr = Files.createTempFile("bench-probe-" + probe, ".err");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the child's stderr", e);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        // libnd4j sizes its own thread pool from these (the strings are in libnd4jcpu.so), not from OMP_NUM_THREADS
        pb.environment().put("SD_MAX_THREADS", Integer.toString(threads));
        pb.environment().put("SD_MASTER_THREADS", Integer.toString(threads));
        try {
            Process p = pb.start();
            List<String> chatter = new ArrayList<>();
            // stdout is drained on its own thread so that the timeout below also covers a child that hangs
            CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> readResult(p, chatter));
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("probe " + probe + " did not finish within " + timeoutS
                        + " s; raise --timeout or lower the sizes (e.g. --max-t)");
            }
            String json = result.join();
            if (p.exitValue() != 0 || json == null) {
                throw new IllegalStateException("probe " + probe + " failed (exit " + p.exitValue() + "): "
                        + firstFailureLine(stderr) + "; stdout: " + String.join(" | ", chatter));
            }
            return BenchReport.JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("cannot run probe " + probe + " in a child JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probe " + probe + " ran", e);
        } finally {
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException e) {
                // a leftover temporary file is harmless
            }
        }
    }

    /** The child's own one-line diagnosis (see {@link Probe#main}), else the last line of its stderr. */
    private static String firstFailureLine(Path stderr) {
        try {
            List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            return lines.stream().filter(l -> l.startsWith("probe ")).findFirst()
                    .orElse(lines.isEmpty() ? "(no stderr)" : lines.get(lines.size() - 1));
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    private static String readResult(Process p, List<String> chatter) {
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(RESULT_PREFIX)) result = line.substring(RESULT_PREFIX.length());
                else if (chatter.size() < 50) chatter.add(line);
            }
        } catch (IOException e) {
            chatter.add("(reading the child's stdout failed: " + e.getMessage() + ")");
        }
        return result;
    }
}
