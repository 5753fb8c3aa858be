package io.mosaspark.bench.model;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.model.preset.Presets;

import java.util.Map;

/**
 * The float32 GEMM rate alone, on square products and on the Tiny model's shapes, against the
 * best rate measured: a quick check of what this machine's BLAS delivers with --threads threads.
 */
final class GemmSuite implements Suite {

    private final BenchOptions o;

    GemmSuite(BenchOptions o) {
        this.o = o;
    }

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    public void run(BenchReport report) {
        var shapes = new java.util.ArrayList<Map<String, Object>>();
        for (long n : new long[]{256, 512, 1024}) {
            shapes.add(Map.of("what", "square " + n, "m", n, "k", n, "n", n));
        }
        shapes.addAll(ThroughputSuite.gemmShapes(Presets.load("tiny").dense(), 1));
        report.emit(name(), "rates", o.child().run(GemmProbe.NAME,
                Map.of("shapes", shapes, "warmup", o.warmup(), "repeats", o.repeats())));
    }
}
