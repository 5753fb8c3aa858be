package io.mosaspark.cluster;

import org.apache.spark.internal.config.ConfigEntry;
import org.apache.spark.launcher.SparkLauncher;
import org.apache.spark.network.util.JavaUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules the Spark profiles ({@code conf/spark/profiles}, {@code conf/spark/layers/}) are written to:
 * the names users type, each setting in one layer, only keys Spark knows, ND4J's off-heap memory inside
 * the overhead the container grants, every task slot with its GPU, one ND4J thread per task, the Java 17
 * options and our logging on driver and executors. (That Spark schedules with the GPU profile is
 * {@link TrainOnStandaloneClusterTest}'s part; that ./mosa submits them, {@link LauncherTest}'s.)
 */
class SparkProfileTest {

    static final List<String> NAMES = List.of("local", "standalone", "standalone-gpu", "yarn", "yarn-gpu", "k8s", "k8s-gpu");
    private static final long GIB = 1L << 30;

    static Stream<String> names() {
        return NAMES.stream();
    }

    static Stream<String> executorProfiles() {
        return NAMES.stream().filter(n -> !n.equals("local"));
    }

    static Stream<String> gpuProfiles() {
        return NAMES.stream().filter(n -> n.endsWith("-gpu"));
    }

    @Test
    void theProfilesAreTheNamesUsersTypeAndEveryLayerIsUsed() throws IOException {
        assertEquals(NAMES, List.copyOf(SparkProfiles.profiles().keySet()));
        Set<String> used = SparkProfiles.profiles().values().stream().flatMap(List::stream).collect(Collectors.toCollection(TreeSet::new));
        Set<String> files;
        try (Stream<Path> s = Files.list(SparkProfiles.directory().resolve("layers"))) {
            files = s.map(p -> p.getFileName().toString().replaceFirst("\\.conf$", "")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, used, "layer files and the layers conf/spark/profiles names");
        for (String name : NAMES) assertEquals("common", SparkProfiles.layers(name).get(0), name + " starts from the common layer");
    }

    /** Each setting in one place: a key set by two layers of one profile would be decided by their order. */
    @ParameterizedTest
    @MethodSource("names")
    void noKeyIsSetByTwoLayersOfAProfile(String name) throws IOException {
        Map<String, String> owner = new HashMap<>();
        for (String layer : SparkProfiles.layers(name)) {
            for (String key : SparkProfiles.layer(layer).keySet()) {
                String before = owner.put(key, layer);
                assertTrue(before == null, name + ": " + key + " is set by layers " + before + " and " + layer);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyKeyIsOneSparkKnows(String name) throws IOException {
        List<String> unknown = SparkProfiles.load(name).keySet().stream().filter(k -> !SparkKeys.known(k)).toList();
        assertEquals(List.of(), unknown, name + ": keys Spark does not know (misspelt?)");
    }

    @Test
    void theKeyCheckRefusesAMisspeltKey() {
        assertTrue(SparkKeys.known("spark.executor.memoryOverhead"));
        assertTrue(SparkKeys.known("spark.sql.shuffle.partitions"), "SQL keys are registered too");
        assertFalse(SparkKeys.known("spark.executor.memoryOverHead"));
        assertFalse(SparkKeys.known("spark.executor.resource.gpu.amout"));
        assertFalse(SparkKeys.known("spark.kubernetes.container.imag"));
    }

    @ParameterizedTest
    @MethodSource("executorProfiles")
    void nd4jsOffHeapMemoryFitsTheOverheadTheContainerGrants(String name) throws IOException {
        Map<String, String> p = SparkProfiles.load(name);
        Map<String, String> jvm = jvmProperties(p.getOrDefault("spark.executor.extraJavaOptions", ""));
        Function<String, Long> jvmBytes = k -> {
            assertTrue(jvm.containsKey(k), name + ": " + k + " missing from spark.executor.extraJavaOptions");
            return JavaUtils.byteStringAsBytes(jvm.get(k));
        };
        long heap = bytes(p, "spark.executor.memory"), overhead = bytes(p, "spark.executor.memoryOverhead");
        long offHeap = jvmBytes.apply("org.bytedeco.javacpp.maxbytes");
        long physical = jvmBytes.apply("org.bytedeco.javacpp.maxphysicalbytes");
        assertTrue(offHeap + 2 * GIB <= overhead, name + ": ND4J's limit leaves under 2g of the overhead to the JVM's own native memory");
        assertTrue(physical < heap + overhead, name + ": JavaCPP's resident-size limit must trip before the container's");
        assertTrue(physical >= heap + offHeap, name + ": JavaCPP's resident-size limit must not trip before its off-heap limit");
        assertFalse(p.get("spark.executor.extraJavaOptions").contains("-Xmx"), name + ": Spark sets the heap from spark.executor.memory");
        assertFalse(p.containsKey("spark.memory.offHeap.enabled"), name + ": Spark's own off-heap memory is not ND4J's");
    }

    @ParameterizedTest
    @MethodSource("gpuProfiles")
    void everyTaskSlotOfAGpuExecutorHasAGpuOfItsOwn(String name) throws IOException {
        Map<String, String> gpu = SparkProfiles.load(name);
        double gpuSlots = Double.parseDouble(gpu.get("spark.executor.resource.gpu.amount"))
                / Double.parseDouble(gpu.get("spark.task.resource.gpu.amount"));
        int cpuSlots = Integer.parseInt(gpu.get("spark.executor.cores")) / Integer.parseInt(gpu.getOrDefault("spark.task.cpus", "1"));
        assertEquals(1.0, Double.parseDouble(gpu.get("spark.task.resource.gpu.amount")), "a task owns a whole GPU");
        assertEquals(cpuSlots, gpuSlots, "task slots by cores and by GPUs differ: Spark would leave some idle");
        String script = gpu.get("spark.executor.resource.gpu.discoveryScript");
        assertEquals("/opt/mosa-spark/conf/spark/gpu-discovery.sh", script, "the images' copy of conf/spark");
        assertTrue(Files.isRegularFile(SparkProfiles.directory().resolve(Path.of(script).getFileName())));
        assertEquals("nvidia.com", gpu.get("spark.executor.resource.gpu.vendor"), "Kubernetes' device plugin resource nvidia.com/gpu");
    }

    @Test
    void yarnMapsSparksGpusToYarnsGpuResource() throws IOException {
        assertEquals("yarn.io/gpu", SparkProfiles.load("yarn-gpu").get("spark.yarn.resourceGpuDeviceName"));
    }

    @ParameterizedTest
    @MethodSource("names")
    void oneNd4jThreadPerTaskOnExecutorsAndOnADriverInTheCluster(String name) throws IOException {
        Map<String, String> p = SparkProfiles.load(name);
        String driverEnv = name.startsWith("yarn") ? "spark.yarn.appMasterEnv." : name.startsWith("k8s") ? "spark.kubernetes.driverEnv." : null;
        for (String variable : new String[]{"OMP_NUM_THREADS", "SD_MAX_THREADS", "SD_MASTER_THREADS"}) {
            assertEquals("1", p.get("spark.executorEnv." + variable), name + ": " + variable);
            if (driverEnv != null) assertEquals("1", p.get(driverEnv + variable), name + ": " + driverEnv + variable);
        }
        assertEquals("4g", p.get("spark.driver.maxResultSize"), name);
        assertEquals("org.apache.spark.serializer.KryoSerializer", p.get("spark.serializer"), name);
    }

    /** The module openings: one list for the build's test JVMs (pom.xml), the local launcher and every profile. */
    @ParameterizedTest
    @MethodSource("names")
    void java17OptionsOnDriverAndExecutorsAndOurLoggingOnExecutors(String name) throws IOException {
        String pom = Files.readString(SparkProfiles.directory().getParent().getParent().resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<spark.java17.opens>([^<]+)</spark.java17.opens>").matcher(pom);
        assertTrue(m.find(), "pom.xml defines spark.java17.opens");
        String opens = m.group(1).trim();
        Map<String, String> p = SparkProfiles.load(name);
        assertEquals(opens, p.get("spark.driver.defaultJavaOptions"), name + ": driver options differ from pom.xml's spark.java17.opens");
        String executor = p.get("spark.executor.defaultJavaOptions");
        assertTrue(executor.startsWith(opens + " "), name + ": executor options differ from pom.xml's spark.java17.opens");
        assertEquals("-Dlog4j2.configurationFile=/opt/mosa-spark/conf/log4j2.properties", executor.substring(opens.length() + 1));
        assertTrue(Files.isRegularFile(SparkProfiles.directory().getParent().resolve("log4j2.properties")));
    }

    /** docs/configuration.md lists every key of every layer and every profile, so the reference stays whole. */
    @Test
    void theConfigurationReferenceNamesEveryKeyAndProfile() throws IOException {
        Path repo = SparkProfiles.directory().getParent().getParent();
        String doc = Files.readString(repo.resolve("docs").resolve("configuration.md"), StandardCharsets.UTF_8);
        String readme = Files.readString(repo.resolve("README.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (String name : NAMES) {
            if (!doc.contains("`" + name + "`")) missing.add("profile " + name + " (docs/configuration.md)");
            if (!readme.contains("`" + name + "`")) missing.add("profile " + name + " (README.md)");
            for (String layer : SparkProfiles.layers(name)) {
                for (String key : SparkProfiles.layer(layer).keySet()) {
                    // a family of keys may be listed once as `spark.executorEnv.OMP_NUM_THREADS`, `…SD_MAX_THREADS`
                    String last = key.substring(key.lastIndexOf('.') + 1);
                    if (!doc.contains("`" + key + "`") && !doc.contains("`…" + last + "`")) missing.add(key + " (layer " + layer + ")");
                }
            }
        }
        assertEquals(List.of(), missing.stream().distinct().toList(), "not in the configuration reference");
    }

    private static long bytes(Map<String, String> p, String key) {
        String v = p.get(key);
        assertNotNull(v, key + " is not set");
        return JavaUtils.byteStringAsBytes(v);
    }

    /** The -Dname=value settings of a JVM option string. */
    static Map<String, String> jvmProperties(String options) {
        return Arrays.stream(options.split("\\s+"))
                .filter(o -> o.startsWith("-D") && o.contains("="))
                .collect(Collectors.toMap(o -> o.substring(2, o.indexOf('=')), o -> o.substring(o.indexOf('=') + 1)));
    }

    /**
     * Whether Spark knows a config key: its own registry ({@link ConfigEntry#findEntry}, filled as each config
     * object initialises, so they are loaded first), the keys its launcher reads before any of that runs
     * ({@link SparkLauncher}'s constants: spark.master, the *.defaultJavaOptions), the families Spark documents by pattern, and the YARN
     * and Kubernetes keys our profiles use, whose config objects are in spark-yarn and spark-kubernetes (not
     * on this classpath; the list is from Spark 3.5's running-on-yarn and running-on-kubernetes pages).
     */
    static final class SparkKeys {
        private static final List<String> CONFIG_OBJECTS = List.of("org.apache.spark.internal.config.package$",
                "org.apache.spark.internal.config.Kryo$", "org.apache.spark.internal.config.UI$",
                "org.apache.spark.internal.config.Network$", "org.apache.spark.internal.config.Deploy$",
                "org.apache.spark.internal.config.Worker$", "org.apache.spark.internal.config.Python$",
                "org.apache.spark.internal.config.Status$", "org.apache.spark.internal.config.History$",
                "org.apache.spark.sql.internal.SQLConf$", "org.apache.spark.sql.internal.StaticSQLConf$");
        private static final List<Pattern> PATTERNS = Stream.of(
                "spark\\.executorEnv\\.[A-Za-z_][A-Za-z0-9_]*",
                "spark\\.yarn\\.appMasterEnv\\.[A-Za-z_][A-Za-z0-9_]*",
                "spark\\.kubernetes\\.driverEnv\\.[A-Za-z_][A-Za-z0-9_]*",
                "spark\\.hadoop\\..+",
                "spark\\.(driver|executor|task|worker)\\.resource\\.[a-z]+\\.(amount|discoveryScript|vendor)").map(Pattern::compile).toList();
        private static final Set<String> YARN_AND_KUBERNETES = Set.of("spark.yarn.maxAppAttempts",
                "spark.yarn.resourceGpuDeviceName", "spark.kubernetes.namespace",
                "spark.kubernetes.authenticate.driver.serviceAccountName", "spark.kubernetes.container.image",
                "spark.kubernetes.container.image.pullPolicy");

        static {
            List<String> missing = new ArrayList<>();
            for (String object : CONFIG_OBJECTS) {
                try {
                    Class.forName(object, true, SparkKeys.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    missing.add(object);
                }
            }
            if (!missing.isEmpty()) throw new IllegalStateException("Spark config objects not found: " + missing);
        }

        private static final Set<String> LAUNCHER = launcherKeys();

        private static Set<String> launcherKeys() {
            Set<String> keys = new TreeSet<>();
            for (java.lang.reflect.Field f : SparkLauncher.class.getFields()) {
                if (f.getType() != String.class || !java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
                try {
                    String v = (String) f.get(null);
                    if (v.startsWith("spark.")) keys.add(v);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
            return keys;
        }

        static boolean known(String key) {
            return ConfigEntry.findEntry(key) != null || LAUNCHER.contains(key) || YARN_AND_KUBERNETES.contains(key)
                    || PATTERNS.stream().anyMatch(p -> p.matcher(key).matches());
        }
    }
}
