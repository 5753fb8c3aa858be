package io.mosaspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.model.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParityCommandTest {

    private static final Path PARITY = Path.of(System.getProperty("parity.dir", "src/test/resources/parity"));
    private static final Path LAYER = PARITY.resolve("mosa_layer_basic.safetensors");

    /** Runs the command as picocli would from the top-level `mosa` command. */
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new ParityCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void everyShippedParityFilePasses() throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.list(PARITY)) {
            files = s.filter(p -> p.toString().endsWith(".safetensors")).map(Path::toString).sorted().toList();
        }
        assertTrue(files.size() >= 4, "parity files: " + files);
        Run r = run(files.toArray(String[]::new));
        assertEquals(ParityCommand.OK, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("expected_output") && r.out().contains("OK") && !r.out().contains("FAIL"), r.out());
    }

    @Test
    void aTensorOffBy1e6FailsAndIsNamed(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("perturbed.safetensors");
        copyWithPerturbation(LAYER, bad, "expected_output", 1e-6);
        Run r = run(LAYER.toString(), bad.toString());
        assertEquals(ParityCommand.EXCEEDED, r.exit(), r.out() + r.err());
        String badTable = r.out().substring(r.out().indexOf(bad.toString()));
        assertTrue(badTable.lines().anyMatch(l -> l.contains("expected_output") && l.endsWith("FAIL")), r.out());
        assertTrue(badTable.lines().filter(l -> l.endsWith("FAIL")).count() == 1, r.out());

        // the same error is within a looser tolerance
        assertEquals(ParityCommand.OK, run("--tolerance", "1e-5", bad.toString()).exit());
    }

    @Test
    void jsonOutputIsMachineReadable(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("perturbed.safetensors");
        copyWithPerturbation(LAYER, bad, "grad.mosa.qkv", 1e-6);
        Run r = run("--json", LAYER.toString(), bad.toString());
        assertEquals(ParityCommand.EXCEEDED, r.exit());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("float64", doc.get("dtype").asText());
        assertEquals(1e-9, doc.get("tolerance").get("abs").asDouble());
        assertTrue(doc.get("files").get(0).get("passed").asBoolean());
        JsonNode second = doc.get("files").get(1);
        assertTrue(!second.get("passed").asBoolean());
        List<String> failed = new ArrayList<>();
        second.get("tensors").forEach(t -> {
            if (!t.get("ok").asBoolean()) failed.add(t.get("name").asText());
        });
        assertEquals(List.of("grad.mosa.qkv"), failed);
        double err = findTensor(second, "grad.mosa.qkv").get("max_abs").asDouble();
        assertTrue(err > 0.9e-6 && err < 1.1e-6, "max_abs " + err);
    }

    @Test
    void float32UsesARelativeTolerance() {
        Run r = run("--precision", "float32", "--json", LAYER.toString());
        assertEquals(ParityCommand.OK, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("\"rel\" : 1.0E-4"), r.out());
    }

    @Test
    void unreadableOrUnknownFilesExitWithTwoAndSayWhy(@TempDir Path dir) throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.safetensors"), "hello");
        Run r = run(LAYER.toString(), garbage.toString());
        assertEquals(ParityCommand.UNREADABLE, r.exit());
        assertTrue(r.err().contains(garbage + ": cannot be checked") && r.err().contains("not a safetensors file"), r.err());

        Path unknown = dir.resolve("unknown.safetensors");
        SafeTensors.Contents c = SafeTensors.read(LAYER);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put("kind", "mosa_decoder");
        SafeTensors.write(unknown, arrays(c), meta);
        r = run(unknown.toString());
        assertEquals(ParityCommand.UNREADABLE, r.exit());
        assertTrue(r.err().contains("unknown parity kind 'mosa_decoder'") && r.err().contains("mosa_attention_layer, mosa_lm"), r.err());

        r = run(dir.resolve("absent.safetensors").toString());
        assertEquals(ParityCommand.UNREADABLE, r.exit());
        assertTrue(r.err().contains("absent.safetensors"), r.err());
    }

    @Test
    void badOptionsAreRefused() {
        Run r = run("--precision", "float16", LAYER.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("float64, float32"), r.err());
        r = run("--tolerance", "-1", LAYER.toString());
        assertTrue(r.exit() != 0 && r.err().contains("--tolerance"), r.err());
    }

    /** The default build has no CUDA backend: --backend cuda says how to get one, and unknown backends are refused. */
    @Test
    void theCudaBackendIsOptionalAndSaysHowToBuildIt() {
        Run r = run("--backend", "cuda", LAYER.toString());
        assertTrue(r.exit() != 0 && r.err().contains("mvn -Pgpu package"), r.err());
        r = run("--backend", "tpu", LAYER.toString());
        assertTrue(r.exit() != 0 && r.err().contains("use nd4j or cuda"), r.err());
    }

    private static JsonNode findTensor(JsonNode file, String name) {
        for (JsonNode t : file.get("tensors")) if (t.get("name").asText().equals(name)) return t;
        throw new AssertionError("no tensor " + name);
    }

    /** A copy of {@code src} with one element of {@code tensor} moved by {@code delta}. */
    static void copyWithPerturbation(Path src, Path dst, String tensor, double delta) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(src);
        Map<String, INDArray> arrays = arrays(c);
        INDArray t = arrays.get(tensor);
        t.putScalar(0, t.getDouble(0) + delta);
        SafeTensors.write(dst, arrays, c.metadata());
    }

    private static Map<String, INDArray> arrays(SafeTensors.Contents c) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        c.tensors().forEach((name, t) -> arrays.put(name, t.dtype().startsWith("I")
                ? t.toArray(DataType.LONG) : t.toArray(DataType.DOUBLE)));
        return arrays;
    }
}
