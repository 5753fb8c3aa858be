package io.mosaspark.prep;

import com.fasterxml.jackson.databind.JsonNode;
import io.mosaspark.prep.clean.ContentHash;
import io.mosaspark.prep.read.InputFile;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.ManifestJson;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The provenance a shard set's manifest carries: artifact {@value Manifest#ARTIFACT}, the resolved
 * {@link PrepConfig} (snake_case, like the rest of the manifest) and one input, the corpus: the
 * {@code --input} arguments as given (comma-joined, as the option takes them), the stored bytes of the files
 * they matched, and the SHA-256 of the sorted "uri TAB bytes" listing of those files, so equal listings mean
 * equal inputs. One entry, not one per file: a checkpoint carries this record among its parents, and a corpus
 * may be many thousands of files. The file count is {@code reconciliation.input_files}.
 */
final class ShardSetProvenance {
    private ShardSetProvenance() {
    }

    static Provenance of(PrepConfig config, List<InputFile> files, Instant started) throws IOException {
        StringBuilder listing = new StringBuilder();
        files.forEach(f -> listing.append(f.uri()).append('\t').append(f.bytes()).append('\n'));
        Provenance.Input corpus = new Provenance.Input(String.join(",", config.inputs()),
                files.stream().mapToLong(InputFile::bytes).sum(), ContentHash.sha256Hex(listing.toString()));
        // parsed from its JSON text, not valueToTree: a long field holding a small value then reads back as the
        // same node type (IntNode), so the manifest a run returns equals the one read from disk
        JsonNode json = ManifestJson.MAPPER.readTree(ManifestJson.MAPPER.writeValueAsBytes(config));
        return Provenance.of(Manifest.ARTIFACT, json, List.of(corpus), List.of()).at(started);
    }
}
