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
 * script): the task's {@code TaskContext.resources().get("gpu")} names the device address, the backend is
 * chosen for that GPU ({@link BackendSelection}), and ND4J's CUDA backend is pointed at it before the task
 * builds or runs a network; the CUDA backend takes the ordinal itself. On the CPU backend the address is
 * logged and ignored.
 *
 * @param backend what the task's training step runs on
 * @param device  the CUDA device ordinal, or -1 on the CPU
 * @param label   what the task runs on, for the round's metrics
 */
public record DeviceBinding(TrainingBackend backend, int device, String label) {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceBinding.class);

    public static final DeviceBinding CPU = new DeviceBinding(TrainingBackend.ND4J_CPU, -1, "cpu");

    /** The assigned GPU address of this task, or null when Spark assigned none. */
    public static String assignedGpu(TaskContext task) {
        if (task == null) return null;
        Map<String, ResourceInformation> resources = task.resourcesJMap();
        ResourceInformation gpu = resources.get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
    }

    /** The binding of a Spark task (CPU outside Spark or without an assigned GPU). */
    public static DeviceBinding bind(TaskContext task) {
        String address = assignedGpu(task);
        return address == null ? CPU : forAddress(address, "task " + task.taskAttemptId());
    }

    /**
     * The binding for GPU {@code address} as nvidia-smi and Spark's discovery script number them, with
     * {@code -Dmosa.backend} honoured: what {@link #bind} does for a task, also used by a worker loop run
     * without Spark (bench/gpu).
     */
    public static DeviceBinding forAddress(String address, String who) {
        boolean nd4jCuda = CudaCompatibility.cudaBackendOnClasspath(), mosaCuda = CudaCompatibility.mosaCudaOnClasspath();
        if (!nd4jCuda && !mosaCuda) {
            LOG.info("{} was assigned GPU {} but this build has no GPU backend: ignoring the GPU", who, address);
            return new DeviceBinding(TrainingBackend.ND4J_CPU, -1, "gpu " + address + " (ignored: CPU backend)");
        }
        BackendSelection choice = BackendSelection.choose(CudaCompatibility.system().computeCapability(address),
                TrainingBackend.parseRequest(System.getProperty("mosa.backend")), nd4jCuda, mosaCuda);
        int device = ordinal(address);
        return switch (choice.backend()) {
            case ND4J_CPU -> {
                LOG.info("{} runs on the CPU: GPU {} {}", who, address, choice.reason());
                yield new DeviceBinding(TrainingBackend.ND4J_CPU, -1, "gpu " + address + " (ignored: " + choice.reason() + ")");
            }
            case MOSA_CUDA -> {
                LOG.info("{} bound to GPU {} on the CUDA backend ({})", who, device, choice.reason());
                yield new DeviceBinding(TrainingBackend.MOSA_CUDA, device, "gpu " + device + " (mosa-cuda)");
            }
            case ND4J_CUDA -> {
                Nd4j.getAffinityManager().unsafeSetDevice(device);
                LOG.info("{} bound to GPU {} ({})", who, device, choice.reason());
                yield new DeviceBinding(TrainingBackend.ND4J_CUDA, device, "gpu " + device);
            }
        };
    }

    static int ordinal(String address) {
        try {
            return Integer.parseInt(address.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("GPU address '" + address + "' from Spark's discovery script is not a "
                    + "CUDA device ordinal; the script must print {\"name\":\"gpu\",\"addresses\":[\"0\",\"1\",…]}");
        }
    }
}
