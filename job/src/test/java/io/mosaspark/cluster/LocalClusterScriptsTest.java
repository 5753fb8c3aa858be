package io.mosaspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/local-cluster/start.sh and stop.sh as a user runs them: a Worker with GPUs its discovery script
 * reports, a second start refused, Workers added to a running Master, a stop that leaves no process and
 * can be repeated, and a start without a build that says how to build. (The cluster tests of this
 * package run on clusters these scripts start too, through {@link StandaloneSparkCluster}.)
 */
class LocalClusterScriptsTest {

    record Result(int exitCode, String stdout, String stderr) {
    }

    @Test
    void startsWorkersWithGpusRefusesASecondStartAddsWorkersAndStopsTwice(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Path fake = SharedCluster.executableCopy("/spark/fake-gpu-discovery.sh", Files.createDirectories(dir.resolve("bin")));
        int port = freePort(), ui = freePort();
        List<String> start = List.of("--state-dir", state.toString(), "--workers", "1", "--cores", "1", "--memory", "512m",
                "--gpus", "2", "--gpu-discovery", fake.toString(), "--master-port", String.valueOf(port),
                "--webui-port", String.valueOf(ui), "--classpath", StandaloneSparkCluster.testClasspath());
        List<ProcessHandle> daemons = new ArrayList<>();
        try {
            Result started = run(StandaloneSparkCluster.scripts().resolve("start.sh"), start);
            assertEquals(0, started.exitCode(), started.stderr());
            String url = "spark://127.0.0.1:" + port;
            assertEquals(url, started.stdout().strip());
            assertEquals(url, Files.readString(state.resolve("master-url")).strip());

            JsonNode workers = status(ui).path("workers");
            assertEquals(1, workers.size(), workers.toString());
            assertEquals("[\"0\",\"1\"]", workers.get(0).path("resources").path("gpu").path("addresses").toString(),
                    "the Worker offers the two GPUs the discovery script reported: " + workers);

            Result again = run(StandaloneSparkCluster.scripts().resolve("start.sh"), start);
            assertEquals(2, again.exitCode());
            assertTrue(again.stderr().contains("already running"), again.stderr());

            Result added = run(StandaloneSparkCluster.scripts().resolve("start.sh"), List.of("--state-dir", state.toString(),
                    "--add-workers", "--workers", "1", "--cores", "1", "--memory", "512m", "--classpath", StandaloneSparkCluster.testClasspath()));
            assertEquals(0, added.exitCode(), added.stderr());
            assertEquals(2, status(ui).path("aliveworkers").asInt());

            for (String name : List.of("master", "worker-1", "worker-2")) {
                long pid = Long.parseLong(Files.readString(state.resolve("pids/" + name + ".pid")).strip());
                daemons.add(ProcessHandle.of(pid).orElseThrow());
                assertTrue(Files.size(state.resolve("logs/" + name + ".log")) > 0, name + " logs nothing");
            }
        } finally {
            Result stopped = run(StandaloneSparkCluster.scripts().resolve("stop.sh"), List.of("--state-dir", state.toString()));
            assertEquals(0, stopped.exitCode(), stopped.stderr());
        }
        for (ProcessHandle p : daemons) assertFalse(p.isAlive(), "pid " + p.pid() + " outlived stop.sh");
        assertEquals(List.of(), FileUtils.listFiles(state.resolve("pids").toFile(), null, false).stream().toList());
        Result twice = run(StandaloneSparkCluster.scripts().resolve("stop.sh"), List.of("--state-dir", state.toString()));
        assertEquals(0, twice.exitCode(), "a second stop is no error: " + twice.stderr());
    }

    @Test
    void withoutABuildStartSaysHowToBuild(@TempDir Path dir) throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("deploy/local-cluster"));
        for (String name : List.of("start.sh", "stop.sh")) {
            Files.copy(StandaloneSparkCluster.scripts().resolve(name), scripts.resolve(name));
        }
        Result r = run(scripts.resolve("start.sh"), List.of("--state-dir", dir.resolve("state").toString()));
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("not built yet") && r.stderr().contains("mvn -B -DskipTests package"), r.stderr());
        assertFalse(Files.exists(dir.resolve("state/pids/master.pid")), "nothing was started");
    }

    private static Result run(Path script, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(script.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = Files.createTempFile("script", ".out"), err = Files.createTempFile("script", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), script + " did not return");
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static JsonNode status(int uiPort) throws IOException {
        try (InputStream in = new URL("http://127.0.0.1:" + uiPort + "/json/").openStream()) {
            return new ObjectMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
