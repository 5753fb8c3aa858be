package io.mosaspark.bench.harness;

/**
 * One named benchmark: measures its subject and its baseline in the same run and emits the results,
 * ratios included, to the report. Whatever it needs (sizes, child JVMs, a Spark session) it is given
 * when it is made, so that every suite, of the model or of data prep, runs the same way.
 */
public interface Suite {

    String name();

    void run(BenchReport report);
}
