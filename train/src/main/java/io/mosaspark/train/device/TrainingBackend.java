package io.mosaspark.train.device;

import java.util.Locale;

/**
 * Which implementation of the training step a worker runs, chosen per executor at start-up from its
 * GPU's compute capability (docs/gpu.md):
 * <ul>
 *   <li>{@link #ND4J_CPU}: no GPU, or the GPU is ignored because this build has no GPU backend for it;</li>
 *   <li>{@link #ND4J_CUDA}: ND4J's CUDA 11.6 build ({@code mvn -Pcuda}), Kepler … Ada (compute capability ≤ 8.9);</li>
 *   <li>{@link #MOSA_CUDA}: this project's CUDA 13 backend (module {@code cuda}), Hopper and newer
 *       (≥ 9.0) by default and any GPU CUDA 13 supports (≥ 7.5) on request.</li>
 * </ul>
 */
public enum TrainingBackend {
    ND4J_CPU("cpu"), ND4J_CUDA("nd4j-cuda"), MOSA_CUDA("mosa-cuda");

    /** Newest GPU ND4J's CUDA build has code for (Ada runs its sm_86 cubins). */
    public static final double ND4J_CUDA_HIGHEST = CudaCompatibility.HIGHEST_SUPPORTED;
    /** From here on the CUDA backend is the default: Hopper. */
    public static final double MOSA_CUDA_DEFAULT_FROM = 9.0;
    /** Oldest GPU CUDA 13 (and so NVRTC 13) compiles for: Turing. */
    public static final double MOSA_CUDA_LOWEST = 7.5;

    private final String key;

    TrainingBackend(String key) {
        this.key = key;
    }

    /** The spelling of {@code --backend} / {@code mosa.backend}. */
    public String key() {
        return key;
    }

    /** {@code auto} gives null (choose from the device); otherwise one of the keys. */
    public static TrainingBackend parseRequest(String s) {
        if (s == null || s.isBlank() || s.equalsIgnoreCase("auto")) return null;
        for (TrainingBackend b : values()) if (b.key.equals(s.trim().toLowerCase(Locale.ROOT))) return b;
        throw new IllegalArgumentException("backend '" + s + "': use auto, cpu, nd4j-cuda or mosa-cuda");
    }
}
