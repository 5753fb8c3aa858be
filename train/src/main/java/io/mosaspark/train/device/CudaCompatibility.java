package io.mosaspark.train.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What this machine's GPUs are, read before any backend touches them: {@code nvidia-smi}'s index, name and
 * compute capability per GPU, and which GPU backends are on the classpath. {@link BackendSelection} picks
 * the backend from these. ND4J's CUDA build ({@code nd4j-cuda-11.6:1.0.0-M2.1}, the newest there is) holds
 * machine code for sm_37 … sm_86 and no PTX, so it cannot run on Hopper (sm_90) or newer; the project's
 * CUDA backend (module mosa-cuda) can (docs/gpu.md).
 */
public final class CudaCompatibility {

    /** Highest compute capability ND4J's CUDA 11.6 build runs on (Ada runs the sm_86 cubins). */
    public static final double HIGHEST_SUPPORTED = 8.9;
    static final String BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";
    static final String MOSA_CUDA_CLASS = "io.mosaspark.cuda.GpuTrainer";
    /** JavaCPP's CUDA bindings, which the backend needs besides its own classes (train compiles without them). */
    static final String CUDA_BINDINGS_CLASS = "org.bytedeco.cuda.global.cublas";

    /** One GPU as nvidia-smi reports it. */
    public record Gpu(String index, String name, double computeCapability) {
    }

    private final String nvidiaSmi;

    public CudaCompatibility(String nvidiaSmi) {
        this.nvidiaSmi = nvidiaSmi;
    }

    /** The check with the {@code nvidia-smi} on the PATH (or {@code MOSA_NVIDIA_SMI}). */
    public static CudaCompatibility system() {
        return new CudaCompatibility(System.getenv().getOrDefault("MOSA_NVIDIA_SMI", "nvidia-smi"));
    }

    public static boolean cudaBackendOnClasspath() {
        try {
            Class.forName(BACKEND_CLASS, false, CudaCompatibility.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Whether this project's CUDA backend (module mosa-cuda) and JavaCPP's CUDA bindings are on the classpath. */
    public static boolean mosaCudaOnClasspath() {
        try {
            Class.forName(MOSA_CUDA_CLASS, false, CudaCompatibility.class.getClassLoader());
            Class.forName(CUDA_BINDINGS_CLASS, false, CudaCompatibility.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The compute capability of the GPU at {@code address} (nvidia-smi's index); refuses an unknown address. */
    public double computeCapability(String address) {
        List<Gpu> gpus;
        try {
            gpus = gpus();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the compute capability of GPU " + address + " ("
                    + e.getMessage() + "); the backend is chosen from it (docs/gpu.md)", e);
        }
        return gpus.stream().filter(g -> g.index().equals(address.trim())).findFirst()
                .orElseThrow(() -> new IllegalStateException("GPU " + address + " is not among those " + nvidiaSmi
                        + " lists (" + gpus + "); check the discovery script's addresses"))
                .computeCapability();
    }

    /** The GPUs nvidia-smi lists. */
    public List<Gpu> gpus() throws IOException {
        Process p = new ProcessBuilder(nvidiaSmi, "--query-gpu=index,name,compute_cap", "--format=csv,noheader")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(nvidiaSmi + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + nvidiaSmi, e);
        }
        List<Gpu> gpus = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.split(",");
            if (f.length < 3) continue;
            gpus.add(new Gpu(f[0].trim(), f[1].trim(), Double.parseDouble(f[2].trim())));
        }
        return gpus;
    }
}
