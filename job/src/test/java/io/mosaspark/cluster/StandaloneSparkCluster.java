package io.mosaspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on loopback: a Master and one or more Workers, each its own JVM, and
 * executors the Workers fork as further JVMs. Tests get what spark-submit users get (task
 * serialisation, executor classpaths, separate processes, executors that die and are relaunched)
 * without a Spark distribution: the processes run from the test classpath, which is also handed to
 * executors.
 */
public final class StandaloneSparkCluster implements AutoCloseable {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /**
     * One Worker JVM.
     *
     * @param cores    cores it offers to executors
     * @param memoryMb memory it offers to executors
     * @param conf     Spark settings of the Worker itself, e.g. {@code spark.worker.resource.gpu.amount}
     */
    public record WorkerSpec(int cores, int memoryMb, Map<String, String> conf) {
        public WorkerSpec {
            conf = Map.copyOf(conf);
        }

        public static WorkerSpec of(int cores, int memoryMb) {
            return new WorkerSpec(cores, memoryMb, Map.of());
        }

        /** This Worker with {@code amount} GPUs, their addresses reported by {@code discoveryScript}. */
        public WorkerSpec withGpus(int amount, Path discoveryScript) {
            Map<String, String> c = new TreeMap<>(conf);
            c.put("spark.worker.resource.gpu.amount", String.valueOf(amount));
            c.put("spark.worker.resource.gpu.discoveryScript", discoveryScript.toString());
            return new WorkerSpec(cores, memoryMb, c);
        }
    }

    /**
     * An executor JVM a Worker forked. The Worker starts each one in its own work directory,
     * {@code work/<app-id>/<executor-id>}, which holds its stdout and stderr: that directory is how the
     * process is told apart from the Worker's other children.
     */
    public record Executor(String appId, String executorId, ProcessHandle process, Path workDir) {
        /** SIGKILL, as when the kernel's OOM killer or a failing machine takes the JVM; waits until it is gone. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("executor " + executorId + " (pid " + process.pid() + ") did not die", e);
            }
        }
    }

    private final List<Process> processes = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
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
        return start(home, List.of(WorkerSpec.of(cores, memoryMb)));
    }

    /** Starts a Master and one Worker per spec, and waits until every Worker has registered. */
    public static StandaloneSparkCluster start(Path home, List<WorkerSpec> specs) throws IOException, InterruptedException {
        StandaloneSparkCluster c = new StandaloneSparkCluster(home, freePort(), freePort());
        try {
            c.launch("master", "org.apache.spark.deploy.master.Master", Map.of(),
                    "--host", "127.0.0.1", "--port", String.valueOf(c.masterPort),
                    "--webui-port", String.valueOf(c.masterUiPort));
            Path work = Files.createDirectories(home.resolve("work"));
            for (int i = 0; i < specs.size(); i++) {
                WorkerSpec w = specs.get(i);
                c.workers.add(c.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker", w.conf(), c.masterUrl(),
                        "--host", "127.0.0.1", "--cores", String.valueOf(w.cores()), "--memory", w.memoryMb() + "m",
                        "--webui-port", String.valueOf(freePort()), "--work-dir", work.toString()));
            }
            c.awaitAliveWorkers(specs.size(), Duration.ofSeconds(90));
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

    /** The live executor JVMs of application {@code appId}, by executor id. */
    public List<Executor> executors(String appId) {
        List<Executor> found = new ArrayList<>();
        for (Process worker : workers) {
            worker.descendants().filter(ProcessHandle::isAlive).forEach(p -> workDirectory(p)
                    .filter(dir -> dir.getParent() != null && dir.getParent().getFileName().toString().equals(appId))
                    .ifPresent(dir -> found.add(new Executor(appId, dir.getFileName().toString(), p, dir))));
        }
        found.sort(java.util.Comparator.comparing(Executor::executorId));
        return found;
    }

    /** Executor {@code executorId} of {@code appId}, as the driver's scheduler names it. */
    public Executor executor(String appId, String executorId) {
        return executors(appId).stream().filter(e -> e.executorId().equals(executorId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no live executor " + executorId + " of " + appId
                        + " under " + home.resolve("work") + "; live: " + executors(appId)));
    }

    /** Waits until application {@code appId} has {@code n} live executor JVMs; returns them. */
    public List<Executor> awaitExecutors(String appId, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Executor> live = executors(appId);
        while (live.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(200);
            live = executors(appId);
        }
        if (live.size() < n) {
            throw new IllegalStateException(appId + " has " + live.size() + " live executors after " + timeout
                    + ", expected " + n + "; logs in " + home);
        }
        return live;
    }

    /** The process's working directory (Linux: /proc/PID/cwd), where a Worker-forked executor keeps its logs. */
    private static Optional<Path> workDirectory(ProcessHandle p) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "cwd")));
        } catch (IOException | UnsupportedOperationException gone) {
            return Optional.empty();
        }
    }

    private Process launch(String name, String mainClass, Map<String, String> conf, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xmx512m", "-cp", testClasspath()));
        cmd.addAll(List.of(System.getProperty("mosa.test.opens", "").split(" ")).stream().filter(s -> !s.isBlank()).toList());
        conf.forEach((k, v) -> cmd.add("-D" + k + "=" + v)); // SparkConf reads spark.* system properties
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
        Process p = pb.start();
        processes.add(p);
        return p;
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
                for (JsonNode w : new ObjectMapper().readTree(last).path("workers")) {
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
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
