package io.mosaspark.shards.format;

/** A shard file (or shard set) violates the format; the message names the file and the problem. */
public final class InvalidShardException extends RuntimeException {
    public InvalidShardException(String source, String problem) {
        super(source + ": " + problem);
    }
}
