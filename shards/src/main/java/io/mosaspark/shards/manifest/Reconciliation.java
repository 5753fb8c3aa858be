package io.mosaspark.shards.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every record accounted for: {@code documentsRead = documentsWritten + duplicates + rejected + empty}.
 * Splitting long documents adds pieces, counted apart ({@code piecesWritten >= documentsWritten}) so
 * the equation stays exact. An unreadable file counts as one read, rejected record.
 *
 * @param inputFiles      files the inputs expanded to
 * @param rejectedReasons reason code → count; sums to {@code rejected}
 * @param documentsSplit  written documents longer than --max-chars, cut into pieces
 * @param piecesWritten   documents as they appear in the shards (EOT-delimited)
 */
public record Reconciliation(long inputFiles, long documentsRead, long documentsWritten, long duplicates,
                             long rejected, long empty, Map<String, Long> rejectedReasons, long documentsSplit,
                             long piecesWritten, long malformedUtf8Bytes) {

    public Reconciliation {
        rejectedReasons = new TreeMap<>(rejectedReasons);
    }

    @JsonProperty("balanced")
    public boolean balanced() {
        long reasons = rejectedReasons.values().stream().mapToLong(Long::longValue).sum();
        return documentsRead == documentsWritten + duplicates + rejected + empty && reasons == rejected
                && piecesWritten >= documentsWritten;
    }
}
