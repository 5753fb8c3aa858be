package io.mosaspark.cuda;

import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The model's CUDA C kernels ({@code kernels.cu}, a resource of this jar) and their compilation with
 * NVRTC into machine code for one GPU architecture. Compiling at start-up (about a second) rather than
 * shipping binaries means every GPU the CUDA library knows gets code for its own architecture, Hopper's
 * included, which is exactly what ND4J's prebuilt CUDA 11.6 kernels lack.
 */
public final class KernelSource {

    static final String RESOURCE = "kernels.cu";
    /** The source files, compiled as one program in this order (later files use earlier helpers). */
    static final java.util.List<String> FILES = java.util.List.of(RESOURCE, "flash_attention.cu");

    private KernelSource() {
    }

    /** Every file of {@link #FILES}, each after a {@code #line} directive so that NVRTC's errors name it. */
    public static String text() {
        StringBuilder all = new StringBuilder();
        for (String file : FILES) {
            all.append("#line 1 \"").append(file).append("\"\n").append(read(file)).append('\n');
        }
        return all.toString();
    }

    private static String read(String file) {
        try (InputStream in = KernelSource.class.getResourceAsStream(file)) {
            if (in == null) throw new IllegalStateException("resource io/mosaspark/cuda/" + file + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compiles the kernels with {@code real} = {@code cType} for compute capability {@code sm} (e.g. 90)
     * and returns the CUBIN. A compile error throws with NVRTC's log.
     */
    public static byte[] compile(String cType, int sm) {
        _nvrtcProgram prog = new _nvrtcProgram();
        CudaError.nvrtc(nvrtc.nvrtcCreateProgram(prog, new BytePointer(text()), new BytePointer(RESOURCE), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "nvrtcCreateProgram");
        try {
            String[] opts = {"-Dreal=" + cType, "--gpu-architecture=sm_" + sm, "-default-device", "-std=c++17"};
            int status;
            try (PointerPointer<BytePointer> o = new PointerPointer<>(opts)) {
                status = nvrtc.nvrtcCompileProgram(prog, opts.length, o);
            }
            if (status != nvrtc.NVRTC_SUCCESS) {
                throw new IllegalStateException("NVRTC could not compile " + RESOURCE + " for sm_" + sm + " (real = "
                        + cType + "):\n" + log(prog));
            }
            try (SizeTPointer size = new SizeTPointer(1)) {
                CudaError.nvrtc(nvrtc.nvrtcGetCUBINSize(prog, size), "nvrtcGetCUBINSize");
                byte[] cubin = new byte[(int) size.get()];
                CudaError.nvrtc(nvrtc.nvrtcGetCUBIN(prog, cubin), "nvrtcGetCUBIN");
                return cubin;
            }
        } finally {
            nvrtc.nvrtcDestroyProgram(prog);
        }
    }

    /**
     * The names of the kernels the source defines: {@code extern "C" __global__ void NAME(}, and those a
     * macro defines as {@code void STEM_##P(} for each line that instantiates it, its parameters replaced
     * by the line's arguments ({@code FA_KERNELS(Tf32Mma, tf32, 64)} defines {@code flash_fwd_tf32_64}, …).
     */
    public static java.util.Set<String> kernelNames() {
        String src = text();
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("extern \"C\" __global__ void (\\w+)\\(").matcher(src);
        while (m.find()) names.add(m.group(1));
        java.util.regex.Matcher macro = java.util.regex.Pattern.compile("#define (\\w+)\\(([\\w, ]+)\\)((?:.*\\\\\n)+.*)").matcher(src);
        while (macro.find()) {
            String[] params = macro.group(2).split(",\\s*");
            java.util.List<String> templates = new java.util.ArrayList<>();
            java.util.regex.Matcher defined = java.util.regex.Pattern.compile("void ([\\w#]+)\\(").matcher(macro.group(3));
            while (defined.find()) templates.add(defined.group(1));
            java.util.regex.Matcher use = java.util.regex.Pattern
                    .compile("(?m)^" + macro.group(1) + "\\(([\\w, ]+)\\)\\s*$").matcher(src);
            while (use.find()) {
                String[] args = use.group(1).split(",\\s*");
                for (String template : templates) {
                    String name = template;
                    for (int i = 0; i < params.length && i < args.length; i++) {
                        name = name.replaceAll("\\b" + params[i] + "\\b", args[i]);
                    }
                    names.add(name.replace("##", ""));
                }
            }
        }
        return names;
    }

    /** NVRTC's version as "major.minor" (throws if libnvrtc cannot be loaded). */
    public static String nvrtcVersion() {
        int[] major = new int[1], minor = new int[1];
        CudaError.nvrtc(nvrtc.nvrtcVersion(major, minor), "nvrtcVersion");
        return major[0] + "." + minor[0];
    }

    private static String log(_nvrtcProgram prog) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            nvrtc.nvrtcGetProgramLogSize(prog, size);
            byte[] b = new byte[(int) size.get()];
            nvrtc.nvrtcGetProgramLog(prog, b);
            return new String(b, StandardCharsets.UTF_8).trim();
        }
    }
}
