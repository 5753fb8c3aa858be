package io.mosaspark.shards.set;

import java.util.List;

/**
 * A shard set that does not match its manifest (missing, truncated, corrupt or unlisted shards, an
 * uncommitted or unreadable manifest). An IllegalArgumentException because the set is an input the
 * user named: the message lists every problem, each naming its file, and how to fix it.
 */
public final class InvalidShardSetException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidShardSetException(String dir, List<String> problems) {
        super("invalid shard set " + dir + ":\n  - " + String.join("\n  - ", problems)
                + "\n(re-run `mosa prepare` to regenerate it, or restore the files named; `mosa inspect " + dir
                + "` re-checks it)");
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
