package io.mosaspark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
 * executors the Workers fork as further JVMs, started and stopped by the scripts users run,
 * {@code deploy/local-cluster/start.sh} and {@code stop.sh}, with {@code home} as their state directory.
 * Tests get what spark-submit users get (task serialisation, executor classpaths, separate processes,
 * executors that die and are relaunched) without a Spark distribution: the daemons run from the test
 * classpath, which tests also hand to executors ({@code spark.executor.extraClassPath}).
 */
public final class StandaloneSparkCluster implements AutoCloseable {

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

    private final Path home;
    private final List<ProcessHandle> workers = new ArrayList<>();

    private StandaloneSparkCluster(Path home) {
        this.home = home;
    }

    /** Starts a Master and one Worker with {@code cores} cores and {@code memoryMb} MiB for executors. */
    public static StandaloneSparkCluster start(Path home, int cores, int memoryMb) throws IOException, InterruptedException {
        return start(home, List.of(WorkerSpec.of(cores, memoryMb)));
    }

    /**
     * Starts a Master and one Worker per spec with {@code deploy/local-cluster/start.sh}, which returns once
     * every Worker has registered: consecutive equal specs in one call, each further run of them added to
     * the running Master ({@code --add-workers}).
     */
    public static StandaloneSparkCluster start(Path home, List<WorkerSpec> specs) throws IOException, InterruptedException {
        StandaloneSparkCluster c = new StandaloneSparkCluster(home);
        try {
            List<String> master = List.of("--master-port", String.valueOf(freePort()), "--webui-port", String.valueOf(freePort()));
            for (int i = 0; i < specs.size(); ) {
                WorkerSpec w = specs.get(i);
                int n = 1;
                while (i + n < specs.size() && specs.get(i + n).equals(w)) n++;
                List<String> args = new ArrayList<>(List.of("--state-dir", home.toString(), "--workers", String.valueOf(n),
                        "--cores", String.valueOf(w.cores()), "--memory", w.memoryMb() + "m", "--timeout", "90",
                        // executors get the same classes as this JVM: the build's classpath.txt comes only with `package`
                        "--classpath", testClasspath()));
                args.addAll(i == 0 ? master : List.of("--add-workers"));
                w.conf().forEach((k, v) -> args.addAll(List.of("--worker-conf", k + "=" + v)));
                c.script("start.sh", args);
                i += n;
            }
            for (int i = 1; i <= specs.size(); i++) {
                long pid = Long.parseLong(Files.readString(home.resolve("pids/worker-" + i + ".pid")).trim());
                c.workers.add(ProcessHandle.of(pid).orElseThrow(() -> new IOException("worker " + pid + " is gone; logs in " + home)));
            }
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The repository's {@code deploy/local-cluster} (tests run in the module directory, job/). */
    static Path scripts() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolveSibling("deploy").resolve("local-cluster");
    }

    /** Runs {@code deploy/local-cluster/NAME} with this JVM's Java; fails with what it printed unless it exits 0. */
    private void script(String name, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(scripts().resolve(name).toString()));
        cmd.addAll(args);
        Path log = home.resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(name + " did not return in 3 minutes; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IOException(name + " exited with " + p.exitValue() + ": " + Files.readString(log).strip());
        }
    }

    /** The Master's URL, as start.sh wrote it into the state directory. */
    public String masterUrl() {
        try {
            return Files.readString(home.resolve("master-url")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("no master URL in " + home, e);
        }
    }

    /** The classpath executors need: everything the test JVM has. */
    public static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The live executor JVMs of application {@code appId}, by executor id. */
    public List<Executor> executors(String appId) {
        List<Executor> found = new ArrayList<>();
        for (ProcessHandle worker : workers) {
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public Path home() {
        return home;
    }

    /** Stops the Workers, their executors and the Master with {@code deploy/local-cluster/stop.sh}. */
    @Override
    public void close() {
        try {
            script("stop.sh", List.of("--state-dir", home.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
