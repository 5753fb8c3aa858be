package io.mosaspark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.model.parity.ParityChecks;
import io.mosaspark.model.parity.ParityReport;
import io.mosaspark.model.parity.TensorError;
import io.mosaspark.model.parity.Tolerance;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mosa parity FILE.safetensors...}: runs this implementation on the inputs stored in each parity
 * file (made by the MoSA authors' PyTorch code) and compares every output and gradient with the file's.
 */
@Command(name = "parity", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check this implementation against parity files from the PyTorch reference "
                + "(kinds mosa_attention_layer and mosa_lm).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every tensor of every file within tolerance", "1:some tensor exceeds the tolerance",
                "2:a file could not be checked (unreadable, unknown kind, missing tensors)"})
public final class ParityCommand implements Callable<Integer> {

    // The codes of every command (ExitCodes): a tensor over the tolerance is a check that ran and failed,
    // a file that cannot be checked cannot become checkable by running again.
    public static final int OK = ExitCodes.OK;
    public static final int EXCEEDED = ExitCodes.JOB_FAILED;
    public static final int UNREADABLE = ExitCodes.USAGE;

    public enum Precision {
        float64(DataType.DOUBLE), float32(DataType.FLOAT);

        final DataType type;

        Precision(DataType type) {
            this.type = type;
        }
    }

    @Parameters(arity = "1..*", paramLabel = "FILE.safetensors", description = "parity files")
    List<Path> files;

    @Option(names = "--precision", defaultValue = "float64", description = "precision to run in: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Precision dtype;

    @Option(names = "--tolerance", description = "max error per tensor: absolute for float64 (default 1e-9), "
            + "relative to the tensor's largest entry for float32 (default 1e-4)")
    Double tolerance;

    @Option(names = "--json", description = "print one JSON document instead of tables")
    boolean json;

    @Option(names = "--backend", defaultValue = "nd4j", description = "nd4j (the CPU/ND4J model) or cuda (the CUDA "
            + "backend of module mosa-cuda, on GPU --device; docs/gpu.md) (default ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--device", defaultValue = "0", description = "CUDA device ordinal for --backend cuda")
    int device;

    @Spec
    CommandSpec spec;

    /** Standalone entry point (the `mosa` launcher runs this command as a subcommand). */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new ParityCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Tolerance tol = tolerance();
        if (backend.equals("cuda")) return CudaBackend.parity(device, dtype.name(), tolerance == null ? null : tol, files, out);
        if (!backend.equals("nd4j")) throw new IllegalArgumentException("--backend " + backend + ": use nd4j or cuda");
        List<Map<String, Object>> results = new ArrayList<>();
        int exit = OK;
        for (Path file : files) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("file", file.toString());
            try {
                ParityReport report = ParityChecks.check(file, dtype.type, tol);
                if (!report.passed()) exit = Math.max(exit, EXCEEDED);
                result.put("kind", report.kind());
                result.put("passed", report.passed());
                result.put("tensors", report.tensors().stream().map(t -> tensorJson(t, tol)).toList());
                if (!json) printTable(out, report);
            } catch (Exception e) {
                exit = UNREADABLE;
                String why = e.getMessage() != null ? e.getMessage() : e.toString();
                result.put("passed", false);
                result.put("error", why);
                err.println("ERROR " + file + ": cannot be checked: " + why);
            }
            results.add(result);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("dtype", dtype.name());
            doc.put("tolerance", Map.of("abs", tol.abs(), "rel", tol.rel()));
            doc.put("passed", exit == OK);
            doc.put("files", results);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
            out.println(exit == OK ? "all " + files.size() + " file(s) within tolerance"
                    : "FAILED: " + (exit == EXCEEDED ? "tensors exceed the tolerance" : "some files could not be checked"));
        }
        out.flush();
        return exit;
    }

    private Tolerance tolerance() {
        Tolerance defaults = Tolerance.forType(dtype.type);
        if (tolerance == null) return defaults;
        if (!(tolerance > 0)) throw new IllegalArgumentException("--tolerance = " + tolerance + ": must be > 0");
        return dtype == Precision.float64 ? new Tolerance(tolerance, 0) : new Tolerance(0, tolerance);
    }

    private static void printTable(PrintWriter out, ParityReport r) {
        Tolerance tol = r.tolerance();
        String rule = tol.rel() == 0 ? String.format(Locale.ROOT, "max abs err <= %.1e", tol.abs())
                : tol.abs() == 0 ? String.format(Locale.ROOT, "max rel err <= %.1e", tol.rel())
                : String.format(Locale.ROOT, "max abs err <= %.1e or max rel err <= %.1e", tol.abs(), tol.rel());
        out.printf(Locale.ROOT, "%s  (%s, %s, OK if %s)%n", r.source(), r.kind(), r.type(), rule);
        out.printf(Locale.ROOT, "  %-34s %12s %12s  %s%n", "tensor", "max abs err", "max rel err", "");
        for (TensorError t : r.tensors()) {
            out.printf(Locale.ROOT, "  %-34s %12.3e %12.3e  %s%n", t.name(), t.maxAbs(), t.maxRel(),
                    t.within(r.tolerance()) ? "OK" : "FAIL");
        }
    }

    private static Map<String, Object> tensorJson(TensorError t, Tolerance tol) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("shape", t.shape());
        m.put("max_abs", t.maxAbs());
        m.put("max_rel", t.maxRel());
        m.put("ok", t.within(tol));
        return m;
    }
}
