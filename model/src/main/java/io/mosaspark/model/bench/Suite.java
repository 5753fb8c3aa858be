package io.mosaspark.model.bench;

/** One named benchmark: measures its subject and its baseline in the same run and emits ratios. */
interface Suite {

    String name();

    void run(BenchOptions options, BenchReport report);
}
