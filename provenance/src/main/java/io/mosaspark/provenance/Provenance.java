package io.mosaspark.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How an artifact was made, the one record every artifact carries (a shard set's manifest, a
 * tokenizer, a checkpoint, an export, a benchmark report, a run directory). It composes: a checkpoint's
 * provenance lists its shard set's under {@link #parents}, an export's lists its checkpoint's, so the
 * whole chain from raw text to exported weights is in the last artifact.
 *
 * @param artifact    what was made: {@code shard-set}, {@code checkpoint}, {@code export}, {@code bench}, …
 * @param codeVersion the code that made it ({@link CodeVersion#toString()})
 * @param config      the resolved configuration, as JSON (every default filled in)
 * @param inputs      what it was made from, with sizes and hashes where known
 * @param environment the machine and JVM
 * @param createdAt   when (UTC, ISO-8601): the one field that differs between identical reruns
 * @param parents     the provenance of the artifacts it was made from (empty for raw inputs)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Provenance(
        @JsonProperty("artifact") String artifact,
        @JsonProperty("code_version") String codeVersion,
        @JsonProperty("config") JsonNode config,
        @JsonProperty("inputs") List<Input> inputs,
        @JsonProperty("environment") Environment environment,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("parents") List<Provenance> parents) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Provenance {
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(codeVersion, "code_version");
        config = config == null ? NullNode.getInstance() : config;
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        parents = parents == null ? List.of() : List.copyOf(parents);
    }

    /**
     * The provenance of an artifact made now by the running code on this machine.
     *
     * @param config any Jackson-serialisable configuration object (a record, a map, a JsonNode)
     */
    public static Provenance of(String artifact, Object config, List<Input> inputs, List<Provenance> parents) {
        return new Provenance(artifact, CodeVersion.current().toString(), JSON.valueToTree(config), inputs,
                Environment.current(), Instant.now().toString(), parents);
    }

    /** The same provenance with {@code createdAt} replaced (jobs stamp their start time, not their end). */
    public Provenance at(Instant time) {
        return new Provenance(artifact, codeVersion, config, inputs, environment, time.toString(), parents);
    }

    /** The first parent (searched depth-first) that records {@code kind}, if any. */
    public java.util.Optional<Provenance> find(String kind) {
        for (Provenance p : parents) {
            if (p.artifact().equals(kind)) return java.util.Optional.of(p);
            java.util.Optional<Provenance> deeper = p.find(kind);
            if (deeper.isPresent()) return deeper;
        }
        return java.util.Optional.empty();
    }

    /**
     * One input of an artifact.
     *
     * @param uri    where it was read from (a Hadoop URI, or the argument as given for a glob)
     * @param bytes  its size, or -1 when unknown
     * @param sha256 hex SHA-256 of its content or of a listing that identifies it; null when not hashed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Input(@JsonProperty("uri") String uri, @JsonProperty("bytes") long bytes,
                        @JsonProperty("sha256") String sha256) {
        public Input {
            Objects.requireNonNull(uri, "uri");
        }
    }

    /** The machine and JVM that made an artifact; timings mean little without it. */
    public record Environment(@JsonProperty("java") String java, @JsonProperty("os") String os,
                              @JsonProperty("arch") String arch,
                              @JsonProperty("available_processors") int availableProcessors) {
        public static Environment current() {
            return new Environment(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
        }
    }
}
