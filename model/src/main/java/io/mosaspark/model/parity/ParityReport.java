package io.mosaspark.model.parity;

import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of checking one parity file: per-tensor errors against a tolerance.
 *
 * @param source    the parity file
 * @param kind      its {@code __metadata__.kind}
 * @param type      the precision the check ran in
 * @param tolerance what counts as a pass
 * @param tensors   one entry per compared tensor, in file order of the reference
 */
public record ParityReport(Path source, String kind, DataType type, Tolerance tolerance, List<TensorError> tensors) {

    public ParityReport {
        tensors = List.copyOf(tensors);
    }

    public boolean passed() {
        return tensors.stream().allMatch(t -> t.within(tolerance));
    }

    public List<TensorError> failures() {
        return tensors.stream().filter(t -> !t.within(tolerance)).collect(Collectors.toList());
    }

    public double maxAbs() {
        return tensors.stream().mapToDouble(TensorError::maxAbs).max().orElse(0);
    }

    public double maxRel() {
        return tensors.stream().mapToDouble(TensorError::maxRel).max().orElse(0);
    }

    public TensorError tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tensor '" + name + "' in the report of " + source));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(passed() ? "PASS " : "FAIL ").append(source.getFileName()).append(" (").append(kind).append(", ")
                .append(type).append(", tolerance abs ").append(tolerance.abs()).append(" or rel ")
                .append(tolerance.rel()).append(")\n");
        for (TensorError t : tensors) sb.append(t.within(tolerance) ? "  ok   " : "  FAIL ").append(t).append('\n');
        return sb.toString();
    }
}
