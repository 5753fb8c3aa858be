package io.mosaspark.train.device;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Binds a worker task to the GPU Spark's resource scheduler assigned it
 * ({@code spark.executor.resource.gpu.amount}, {@code spark.task.resource.gpu.amount} and a discovery
 * script): the task's {@code TaskContext.resources().get("gpu")} names the device address, and ND4J's
 * CUDA backend is pointed at it before the task builds or runs a network. On the CPU backend the
 * address is logged and ignored. Returns what the task runs on, for the round's metrics.
 */
public final class DeviceBinding {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceBinding.class);

    private DeviceBinding() {
    }

    /** The assigned GPU address of this task, or null when Spark assigned none. */
    public static String assignedGpu(TaskContext task) {
        if (task == null) return null;
        Map<String, ResourceInformation> resources = task.resourcesJMap();
        ResourceInformation gpu = resources.get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
    }

    public static String bind(TaskContext task) {
        String address = assignedGpu(task);
        if (address == null) return "cpu";
        boolean nd4jCuda = CudaCompatibility.cudaBackendOnClasspath(), mosaCuda = CudaCompatibility.mosaCudaOnClasspath();
        if (!nd4jCuda && !mosaCuda) {
            LOG.info("task {} was assigned GPU {} but ND4J runs on the CPU backend: ignoring the GPU",
                    task.taskAttemptId(), address);
            return "gpu " + address + " (ignored: CPU backend)";
        }
        BackendSelection choice = BackendSelection.choose(CudaCompatibility.system().computeCapability(address),
                TrainingBackend.parseRequest(System.getProperty("mosa.backend")), nd4jCuda, mosaCuda);
        int device;
        try {
            device = Integer.parseInt(address.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("GPU address '" + address + "' from Spark's discovery script is not a "
                    + "CUDA device ordinal; the script must print {\"name\":\"gpu\",\"addresses\":[\"0\",\"1\",…]}");
        }
        switch (choice.backend()) {
            case ND4J_CPU -> {
                LOG.info("task {} runs on the CPU: GPU {} {}", task.taskAttemptId(), address, choice.reason());
                return "gpu " + address + " (ignored: " + choice.reason() + ")";
            }
            case MOSA_CUDA -> throw new IllegalStateException("GPU " + address + ": " + choice.reason() + " selects the CUDA "
                    + "backend, whose training step runs in one JVM (mosa-cuda step) but not yet inside the Spark worker "
                    + "loop (docs/gpu.md); use --conf spark.executor.extraJavaOptions=-Dmosa.backend=cpu meanwhile");
            default -> {
                Nd4j.getAffinityManager().unsafeSetDevice(device);
                LOG.info("task {} bound to GPU {} ({})", task.taskAttemptId(), device, choice.reason());
                return "gpu " + device;
            }
        }
    }
}
