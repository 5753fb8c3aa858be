package io.mosaspark.shards.set;

import io.mosaspark.shards.manifest.Manifest;
import java.util.List;

/**
 * The result of checking a shard set: the manifest (null if unreadable) and every problem found.
 */
public record ValidationReport(String directory, Manifest manifest, List<String> problems) {
    public ValidationReport {
        problems = List.copyOf(problems);
    }

    public boolean valid() {
        return problems.isEmpty();
    }
}
