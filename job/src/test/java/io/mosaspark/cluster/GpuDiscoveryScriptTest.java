package io.mosaspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.SparkConf;
import org.apache.spark.resource.ResourceDiscoveryScriptPlugin;
import org.apache.spark.resource.ResourceID;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code conf/spark/gpu-discovery.sh}, the script users give Spark to find a host's GPUs, run against a
 * fake {@code nvidia-smi} on the PATH: what it prints, and that Spark's own discovery accepts it.
 */
class GpuDiscoveryScriptTest {
    private static final Path SCRIPT = SparkProfiles.directory().resolve("gpu-discovery.sh");

    @TempDir
    Path tmp;

    /** What the script printed and its exit status. */
    record Result(int exit, String out, String err) {
    }

    /** A fake nvidia-smi that answers the script's query with {@code body} (shell) and anything else with an error. */
    private Path fakeNvidiaSmi(String body) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n"
                + "[ \"$*\" = \"--query-gpu=index --format=csv,noheader\" ] || { echo \"unexpected arguments: $*\" >&2; exit 64; }\n"
                + body + "\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /**
     * Runs the script with a PATH of {@code fakes} (or nothing) and bash alone, so that a real nvidia-smi of
     * this machine can never answer.
     */
    private Result run(Path fakes) throws Exception {
        Path bashOnly = Files.createDirectories(tmp.resolve("bash-only"));
        if (!Files.exists(bashOnly.resolve("bash"))) {
            Path bash = Files.isExecutable(Path.of("/bin/bash")) ? Path.of("/bin/bash") : Path.of("/usr/bin/bash");
            Files.createSymbolicLink(bashOnly.resolve("bash"), bash);
        }
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString());
        pb.environment().put("PATH", (fakes == null ? "" : fakes + ":") + bashOnly);
        Path out = tmp.resolve("out"), err = tmp.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script hangs");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<String> addresses(String json) throws IOException {
        JsonNode n = new ObjectMapper().readTree(json);
        assertEquals("gpu", n.path("name").asText(), json);
        return new ObjectMapper().convertValue(n.path("addresses"), new com.fasterxml.jackson.core.type.TypeReference<>() { });
    }

    @Test
    void theScriptIsExecutableAsSparkRunsIt() {
        assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " must be executable: Spark runs the path itself");
    }

    @Test
    void printsNvidiaSmisIndicesAsSparksResourceJson() throws Exception {
        Result r = run(fakeNvidiaSmi("printf '0\\n1\\n'"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}", r.out().strip());
        // padding and Windows line ends, as some driver versions print, are not part of an index
        r = run(fakeNvidiaSmi("printf ' 0\\r\\n 1 \\r\\n2\\r\\n3\\r\\n'"));
        assertEquals(List.of("0", "1", "2", "3"), addresses(r.out()));
    }

    @Test
    void aHostWithoutGpusHasNoAddresses() throws Exception {
        Result r = run(fakeNvidiaSmi("exit 0"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(), addresses(r.out()));
    }

    @Test
    void aFailingOrMissingNvidiaSmiFailsTheScriptWithItsReason() throws Exception {
        Result noDriver = run(fakeNvidiaSmi("echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver' >&2; exit 9"));
        assertEquals(1, noDriver.exit());
        assertEquals("", noDriver.out());
        assertTrue(noDriver.err().contains("NVIDIA-SMI has failed"), noDriver.err());

        Result noDevices = run(fakeNvidiaSmi("echo 'No devices were found'; exit 6"));
        assertEquals(1, noDevices.exit());
        assertTrue(noDevices.err().contains("failed: No devices were found"), noDevices.err());

        Result garbled = run(fakeNvidiaSmi("printf '0\\nGPU 1\\n'"));
        assertEquals(1, garbled.exit());
        assertEquals("", garbled.out());
        assertTrue(garbled.err().contains("printed 'GPU 1', not a GPU index"), garbled.err());

        Result missing = run(null);
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("nvidia-smi is not on the PATH"), missing.err());
    }

    /** Spark runs the script and parses its output itself (the Worker or executor refuses to start on bad JSON). */
    @Test
    void sparksOwnDiscoveryReadsTheAddresses() throws Exception {
        Path bin = fakeNvidiaSmi("printf '0\\n1\\n'");
        Path wrapper = tmp.resolve("discover.sh"); // the JVM's PATH cannot be changed: put the fake first here
        Files.writeString(wrapper, "#!/bin/sh\nPATH=" + bin + ":$PATH exec " + SCRIPT + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));

        ResourceRequest request = new ResourceRequest(new ResourceID("spark.executor", "gpu"), 2,
                Optional.of(wrapper.toString()), Optional.empty());
        Optional<ResourceInformation> found = new ResourceDiscoveryScriptPlugin().discoverResource(request, new SparkConf(false));

        assertTrue(found.isPresent());
        assertEquals("gpu", found.get().name());
        assertArrayEquals(new String[]{"0", "1"}, found.get().addresses());
    }
}
