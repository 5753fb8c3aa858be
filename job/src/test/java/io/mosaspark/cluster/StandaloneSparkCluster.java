package io.mosaspark.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Spark standalone cluster on loopback: a Master and a Worker, each its own JVM, and
 * executors the Worker forks as further JVMs. Tests get what spark-submit users get (task
 * serialisation, executor classpaths, separate processes) without a Spark distribution: the
 * processes run from the test classpath, which is also handed to executors.
 */
public final class StandaloneSparkCluster implements AutoCloseable {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final List<Process> processes = new ArrayList<>();
    private final Path home;
    private final int masterPort;
    private final int masterUiPort;

    private StandaloneSparkCluster(Path home, int masterPort, int masterUiPort) {
        this.home = home;
        this.masterPort = masterPort;
        this.masterUiPort = masterUiPort;
    }

    /** Starts a Master and one Worker with {@code cores} cores and {@code memoryMb} MiB for executors. */
    public static StandaloneSparkCluster start(Path home, int cores, int memoryMb) throws IOException, InterruptedException {
        StandaloneSparkCluster c = new StandaloneSparkCluster(home, freePort(), freePort());
        try {
            c.launch("master", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(c.masterPort),
                    "--webui-port", String.valueOf(c.masterUiPort));
            c.launch("worker", "org.apache.spark.deploy.worker.Worker", c.masterUrl(),
                    "--host", "127.0.0.1", "--cores", String.valueOf(cores), "--memory", memoryMb + "m",
                    "--webui-port", String.valueOf(freePort()),
                    "--work-dir", Files.createDirectories(home.resolve("work")).toString());
            c.awaitAliveWorkers(1, Duration.ofSeconds(90));
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The classpath executors need: everything the test JVM has. */
    public static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private void launch(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xmx512m", "-cp", testClasspath()));
        cmd.addAll(List.of(System.getProperty("mosa.test.opens", "").split(" ")).stream().filter(s -> !s.isBlank()).toList());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        // The Worker builds executor command lines from SPARK_HOME; without a distribution, Spark's
        // own test mode lets it take the classpath from the application (spark.executor.extraClassPath).
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_TESTING", "1");
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("OMP_NUM_THREADS", "1");
        processes.add(pb.start());
    }

    private void awaitAliveWorkers(int n, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IOException("a Spark cluster process exited with " + p.exitValue() + "; see logs in " + home);
                }
            }
            try {
                last = get("http://127.0.0.1:" + masterUiPort + "/json/");
                long alive = 0;
                for (com.fasterxml.jackson.databind.JsonNode w : new com.fasterxml.jackson.databind.ObjectMapper().readTree(last).path("workers")) {
                    if ("ALIVE".equals(w.path("state").asText())) alive++;
                }
                if (alive >= n) return;
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(500);
        }
        throw new IOException("no " + n + " alive worker(s) after " + timeout + "; master said: " + last + "; logs in " + home);
    }

    private static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(2000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public Path home() {
        return home;
    }

    @Override
    public void close() {
        for (Process p : processes) p.descendants().forEach(ProcessHandle::destroy);
        for (Process p : processes) p.destroy();
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
