package io.mosaspark.train.device;

import java.util.Locale;

/**
 * The rule that picks a worker's {@link TrainingBackend}: pure logic over what the executor has (the
 * compute capability of its assigned GPU, or none; which backends this build carries) and what the user
 * asked for. A request that the hardware or the build cannot serve is refused with the reason, never
 * silently replaced.
 *
 * @param backend the choice
 * @param reason  one line for the logs and the round's metrics
 */
public record BackendSelection(TrainingBackend backend, String reason) {

    /**
     * @param computeCapability the assigned GPU's compute capability, or null when Spark assigned none
     * @param requested         null for automatic choice
     * @param nd4jCuda          ND4J's CUDA backend is on the classpath ({@code mvn -Pcuda})
     * @param mosaCuda          this project's CUDA backend (module {@code cuda}) is on the classpath
     */
    public static BackendSelection choose(Double computeCapability, TrainingBackend requested, boolean nd4jCuda,
                                          boolean mosaCuda) {
        if (requested == TrainingBackend.ND4J_CPU) return new BackendSelection(TrainingBackend.ND4J_CPU, "requested");
        if (computeCapability == null) {
            if (requested != null) {
                throw new IllegalStateException("backend " + requested.key() + " was requested but Spark assigned this task "
                        + "no GPU; set spark.task.resource.gpu.amount (the *-gpu Spark profiles: ./mosa --profile standalone-gpu|yarn-gpu|k8s-gpu) or use --backend cpu");
            }
            return new BackendSelection(TrainingBackend.ND4J_CPU, "no GPU assigned");
        }
        double cc = computeCapability;
        String gpu = String.format(Locale.ROOT, "compute capability %.1f", cc);
        if (requested == TrainingBackend.ND4J_CUDA) {
            if (!nd4jCuda) throw new IllegalStateException("backend nd4j-cuda was requested but this build has ND4J's CPU "
                    + "backend only; build the jar with mvn -Pcuda package");
            if (cc > TrainingBackend.ND4J_CUDA_HIGHEST) throw new IllegalStateException(unsupportedByNd4j(gpu));
            return new BackendSelection(TrainingBackend.ND4J_CUDA, "requested, " + gpu);
        }
        if (requested == TrainingBackend.MOSA_CUDA) {
            if (!mosaCuda) throw new IllegalStateException("backend mosa-cuda was requested but the CUDA backend (module "
                    + "mosa-cuda) is not on the classpath; build with mvn -Pgpu package (docs/gpu.md)");
            if (cc < TrainingBackend.MOSA_CUDA_LOWEST) {
                throw new IllegalStateException("backend mosa-cuda was requested but the GPU has " + gpu + "; CUDA 13 "
                        + "supports 7.5 (Turing) and newer; use --backend nd4j-cuda or cpu");
            }
            return new BackendSelection(TrainingBackend.MOSA_CUDA, "requested, " + gpu);
        }
        if (cc >= TrainingBackend.MOSA_CUDA_DEFAULT_FROM) {
            if (mosaCuda) return new BackendSelection(TrainingBackend.MOSA_CUDA, gpu + " (Hopper or newer)");
            if (nd4jCuda) throw new IllegalStateException(unsupportedByNd4j(gpu));
            return new BackendSelection(TrainingBackend.ND4J_CPU, gpu + " ignored: this build has no GPU backend for it");
        }
        if (nd4jCuda) return new BackendSelection(TrainingBackend.ND4J_CUDA, gpu);
        return new BackendSelection(TrainingBackend.ND4J_CPU, gpu + " ignored: CPU build (mvn -Pcuda for ND4J's CUDA backend)");
    }

    private static String unsupportedByNd4j(String gpu) {
        return "the GPU has " + gpu + ": ND4J's CUDA build (nd4j-cuda-11.6 1.0.0-M2.1, the newest there is) ships kernels "
                + "for sm_37 to sm_86 and no PTX, so it cannot run on Hopper (sm_90) or newer. Use the CUDA backend "
                + "(mvn -Pgpu package, --backend mosa-cuda; docs/gpu.md) or the CPU build";
    }
}
