package io.mosaspark.train.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Whether ND4J's CUDA backend can run on this machine's GPUs, checked before ND4J touches them.
 *
 * <p>The {@code cuda} build profile uses {@code nd4j-cuda-11.6:1.0.0-M2.1}, the newest ND4J GPU build
 * there is. Its native library holds machine code for sm_37 … sm_86 and no PTX, so on Hopper (sm_90)
 * and newer every kernel launch fails with "no kernel image is available". Ada (sm_89) runs the sm_86
 * code. Rather than crash inside the first kernel, a worker asks {@code nvidia-smi} for the compute
 * capability of its GPU and refuses with a message saying what to do (see docs/gpu.md).
 */
public final class CudaCompatibility {

    /** Highest compute capability ND4J's CUDA 11.6 build runs on (Ada runs the sm_86 cubins). */
    public static final double HIGHEST_SUPPORTED = 8.9;
    static final String BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

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

    /** Throws if the GPU at {@code address} (nvidia-smi's index) is newer than ND4J's CUDA build supports. */
    public void refuseUnsupported(String address) {
        List<Gpu> gpus;
        try {
            gpus = gpus();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the compute capability of GPU " + address
                    + " (" + e.getMessage() + "); ND4J's CUDA build runs only on compute capability <= "
                    + HIGHEST_SUPPORTED + ", so mosa checks before using a GPU", e);
        }
        for (Gpu g : gpus) {
            if (g.index().equals(address.trim()) && g.computeCapability() > HIGHEST_SUPPORTED) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "GPU %s (%s) has compute capability %.1f: ND4J's CUDA build (nd4j-cuda-11.6 1.0.0-M2.1, "
                                + "the newest there is) ships kernels for sm_37 to sm_86 and no PTX, so it cannot run on "
                                + "Hopper (sm_90) or newer. Use Kepler to Ada GPUs with the cuda profile, or the default "
                                + "CPU build (docs/gpu.md)", g.index(), g.name(), g.computeCapability()));
            }
        }
    }
}
