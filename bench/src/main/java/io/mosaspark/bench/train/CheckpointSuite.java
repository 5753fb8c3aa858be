package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;

import java.util.List;
import java.util.Map;

/** Checkpoint write time and resume (read) time, by model size ({@link CheckpointProbe}). */
final class CheckpointSuite implements Suite {

    private final ProbeRunner runner;
    private final CheckpointSpec spec;

    CheckpointSuite(ProbeRunner runner, CheckpointSpec spec) {
        this.runner = runner;
        this.spec = spec;
    }

    @Override
    public String name() {
        return "checkpoint";
    }

    @Override
    public void run(BenchReport report) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) runner.run(CheckpointProbe.NAME, spec.asMap()).get("results");
        for (Map<String, Object> r : results) report.emit(name(), (String) r.get("model"), r);
    }
}
