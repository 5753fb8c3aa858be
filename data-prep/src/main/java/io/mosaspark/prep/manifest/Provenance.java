package io.mosaspark.prep.manifest;

import io.mosaspark.prep.PrepConfig;
import io.mosaspark.prep.dedup.ContentHash;
import io.mosaspark.provenance.CodeVersion;
import io.mosaspark.prep.read.InputFile;
import java.time.Instant;
import java.util.List;

/**
 * How a shard set was made.
 *
 * @param inputs             the --input arguments as given
 * @param inputFiles         files they expanded to
 * @param inputBytes         stored size of those files
 * @param inputListingSha256 hash of the sorted "uri\tbytes" listing: equal listings, equal inputs
 * @param createdAt          job start (UTC, ISO-8601); the one field that differs between reruns
 */
public record Provenance(List<String> inputs, long inputFiles, long inputBytes, String inputListingSha256,
                         PrepConfig config, String codeVersion, long seed, String createdAt) {

    public static Provenance of(PrepConfig config, List<InputFile> files, Instant started) {
        StringBuilder listing = new StringBuilder();
        files.forEach(f -> listing.append(f.uri()).append('\t').append(f.bytes()).append('\n'));
        return new Provenance(config.inputs(), files.size(), files.stream().mapToLong(InputFile::bytes).sum(),
                ContentHash.sha256Hex(listing.toString()), config, CodeVersion.current().toString(), config.seed(),
                started.toString());
    }
}
