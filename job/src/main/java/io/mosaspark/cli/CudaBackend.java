package io.mosaspark.cli;

import io.mosaspark.model.parity.Tolerance;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reaches the CUDA backend (module mosa-cuda) when the build has it: it is optional, so that the
 * default Spark jar carries no CUDA bindings (build with {@code mvn -Pgpu package}; docs/gpu.md).
 */
final class CudaBackend {
    static final String ENTRY = "io.mosaspark.cuda.CudaMain";

    private CudaBackend() {
    }

    /** {@code mosa parity --backend cuda}: exit code as {@link ParityCommand}. */
    static int parity(int device, String precision, Tolerance tolerance, List<Path> files, PrintWriter out) throws Exception {
        Class<?> main;
        try {
            main = Class.forName(ENTRY);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("--backend cuda: this build has no CUDA backend; build with mvn -Pgpu package "
                    + "(docs/gpu.md)");
        }
        out.flush();
        try {
            return (int) main.getMethod("parity", int.class, String.class, Tolerance.class, List.class)
                    .invoke(null, device, precision, tolerance, files.stream().map(Path::toString).toList());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) throw ex;
            if (cause instanceof Error err) throw err;
            throw e;
        }
    }
}
