package io.mosaspark.bench.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bench/torch_mosa.py is the same model as ours: it reproduces every parity vector (outputs, loss,
 * all gradients, selections) in float64. Skipped where /usr/bin/python3 has no torch (CI).
 */
class TorchReferenceTest {

    private static final Path SCRIPT = Path.of("torch_mosa.py");
    private static final Path PARITY = Path.of(System.getProperty("parity.dir", "src/test/resources/parity"));

    @Test
    void torchReferenceReproducesAllParityVectors() throws IOException, InterruptedException {
        BenchOptions o = new BenchOptions(0, 1, 1, new ChildJvm("1g", "1g", 1, 120), Path.of("/usr/bin/python3"), SCRIPT);
        assumeTrue(new TorchReference(o).unavailableReason().isEmpty(), "no torch on /usr/bin/python3");
        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), "--validate",
                PARITY.resolve("mosa_lm_tiny.safetensors").toString(),
                PARITY.resolve("mosa_layer_basic.safetensors").toString(),
                PARITY.resolve("mosa_layer_include_first.safetensors").toString(),
                PARITY.resolve("mosa_layer_pure.safetensors").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(4, out.lines().filter(l -> l.contains("\"ok\": true, \"worst\"")).count(), out);
    }

    /** Debian's paths as /proc/self/maps shows them after the alternatives links are resolved. */
    @Test
    void referenceBlasIsToldApartFromOptimisedOnes() {
        String reference = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0";
        assertEquals(Optional.of(reference), TorchReference.referenceBlas(List.of(
                "/usr/lib/x86_64-linux-gnu/libcblas.so.3", reference)));
        assertEquals(Optional.empty(), TorchReference.referenceBlas(List.of(
                "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
                "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so")));
        assertEquals(Optional.empty(), TorchReference.referenceBlas(List.of(
                "/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3")));
    }

    @Test
    void aTimingNamesReferenceBlasAndTheFix() {
        BenchOptions o = new BenchOptions(0, 1, 1, new ChildJvm("1g", "1g", 1, 120), Path.of("/usr/bin/python3"), SCRIPT);
        TorchReference torch = new TorchReference(o);
        assumeTrue(torch.unavailableReason().isEmpty(), "no torch on /usr/bin/python3");
        boolean reference = Files.isSymbolicLink(Path.of("/etc/alternatives/libblas.so.3-x86_64-linux-gnu"))
                && readLink("/etc/alternatives/libblas.so.3-x86_64-linux-gnu").contains("/blas/libblas");
        Optional<String> unfit = torch.unfitForTimingReason();
        assertEquals(reference, unfit.isPresent(), unfit.toString());
        unfit.ifPresent(why -> assertTrue(why.contains("reference BLAS") && why.contains("libopenblas0-openmp"), why));
    }

    private static String readLink(String link) {
        try {
            return Files.readSymbolicLink(Path.of(link)).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
