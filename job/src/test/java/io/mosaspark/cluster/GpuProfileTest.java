package io.mosaspark.cluster;

import org.apache.spark.network.util.JavaUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules {@code conf/spark/cluster-gpu.conf} is written to: every task slot has its GPU, ND4J's
 * off-heap memory fits the overhead the container grants, one ND4J thread per task as on CPU. (That
 * Spark schedules with it is {@link TrainOnStandaloneClusterTest}'s part.)
 */
class GpuProfileTest {
    static Map<String, String> gpu;

    @BeforeAll
    static void load() throws IOException {
        gpu = SparkProfiles.load("cluster-gpu");
    }

    private static long bytes(String key) {
        String v = gpu.get(key);
        assertNotNull(v, key + " is not set");
        return JavaUtils.byteStringAsBytes(v);
    }

    /** The -Dname=value settings of the executors' JVM options. */
    private static Map<String, String> jvmProperties() {
        return Arrays.stream(gpu.getOrDefault("spark.executor.extraJavaOptions", "").split("\\s+"))
                .filter(o -> o.startsWith("-D") && o.contains("="))
                .collect(Collectors.toMap(o -> o.substring(2, o.indexOf('=')), o -> o.substring(o.indexOf('=') + 1)));
    }

    @Test
    void everyTaskSlotOfAnExecutorHasAGpuOfItsOwn() {
        double gpuSlots = Double.parseDouble(gpu.get("spark.executor.resource.gpu.amount"))
                / Double.parseDouble(gpu.get("spark.task.resource.gpu.amount"));
        int cpuSlots = Integer.parseInt(gpu.get("spark.executor.cores")) / Integer.parseInt(gpu.getOrDefault("spark.task.cpus", "1"));
        assertEquals(1.0, Double.parseDouble(gpu.get("spark.task.resource.gpu.amount")), "a task owns a whole GPU");
        assertEquals(cpuSlots, gpuSlots, "task slots by cores and by GPUs differ: Spark would leave some idle");
    }

    @Test
    void theDiscoveryScriptIsTheOneInConfSpark() {
        String script = gpu.get("spark.executor.resource.gpu.discoveryScript");
        assertTrue(script.endsWith("/conf/spark/gpu-discovery.sh"), script);
        assertTrue(Files.isRegularFile(SparkProfiles.directory().resolve(Path.of(script).getFileName())));
    }

    @Test
    void nd4jsOffHeapMemoryFitsTheOverheadTheContainerGrants() {
        Map<String, String> jvm = jvmProperties();
        Function<String, Long> jvmBytes = k -> {
            assertTrue(jvm.containsKey(k), k + " missing from spark.executor.extraJavaOptions");
            return JavaUtils.byteStringAsBytes(jvm.get(k));
        };
        long heap = bytes("spark.executor.memory"), overhead = bytes("spark.executor.memoryOverhead");
        long offHeap = jvmBytes.apply("org.bytedeco.javacpp.maxbytes");
        long physical = jvmBytes.apply("org.bytedeco.javacpp.maxphysicalbytes");
        long gib = 1L << 30;
        assertTrue(offHeap + 2 * gib <= overhead, "ND4J's limit leaves under 2g of the overhead to the JVM's own native memory");
        assertTrue(physical < heap + overhead, "JavaCPP's resident-size limit must trip before the container's");
        assertTrue(physical >= heap + offHeap, "JavaCPP's resident-size limit must not trip before its off-heap limit");
        assertFalse(gpu.get("spark.executor.extraJavaOptions").contains("-Xmx"), "Spark sets the heap from spark.executor.memory");
    }

    @Test
    void oneNd4jThreadPerTaskAsOnCpuExecutors() throws IOException {
        Map<String, String> cpu = SparkProfiles.load("cluster-cpu");
        for (String key : new String[]{"spark.executorEnv.OMP_NUM_THREADS", "spark.executorEnv.SD_MAX_THREADS",
                "spark.executorEnv.SD_MASTER_THREADS"}) {
            assertEquals("1", gpu.get(key), key);
            assertEquals(cpu.get(key), gpu.get(key), key + " differs between the CPU and GPU profiles");
        }
        assertEquals(cpu.get("spark.serializer"), gpu.get("spark.serializer"));
    }
}
