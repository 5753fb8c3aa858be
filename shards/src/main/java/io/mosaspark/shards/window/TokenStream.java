package io.mosaspark.shards.window;

import io.mosaspark.shards.format.InvalidShardException;
import io.mosaspark.shards.format.ShardReader;
import io.mosaspark.shards.set.SplitShards;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/**
 * A split's shards read as one token stream, in manifest order, through the Hadoop FileSystem (file:,
 * hdfs:, s3a:). A shard is opened when first read and stays open until {@link #close}; opening checks
 * that it still holds the tokens the manifest lists. Not thread-safe.
 */
public final class TokenStream implements AutoCloseable {
    private final SplitShards shards;
    private final Configuration conf;
    /** starts[s] = stream offset of shard s's first token; starts[n] = the stream's length. */
    private final long[] starts;
    private final ShardReader[] readers;

    private TokenStream(SplitShards shards, Configuration conf) {
        this.shards = shards;
        this.conf = conf;
        int n = shards.shards().size();
        this.starts = new long[n + 1];
        for (int s = 0; s < n; s++) {
            starts[s + 1] = starts[s] + shards.shards().get(s).tokens();
        }
        this.readers = new ShardReader[n];
    }

    /** Opens no file yet: shards are opened as reads reach them. */
    public static TokenStream open(SplitShards shards, Configuration conf) {
        return new TokenStream(shards, conf);
    }

    public long length() {
        return starts[starts.length - 1];
    }

    /** Copies stream tokens [start, start + length) into {@code dst[offset…]}, across shard boundaries. */
    public void read(long start, int[] dst, int offset, int length) throws IOException {
        if (start < 0 || length < 0 || start + length > length()) {
            throw new IndexOutOfBoundsException(shards.description() + ": tokens [" + start + ", "
                    + (start + length) + ") outside [0, " + length() + ")");
        }
        int s = shardOf(start);
        while (length > 0) {
            int n = (int) Math.min(length, starts[s + 1] - start);
            reader(s).read(start - starts[s], dst, offset, n);
            start += n;
            offset += n;
            length -= n;
            s++;
        }
    }

    /** The shard holding stream offset {@code position} (skipping any empty shard). */
    private int shardOf(long position) {
        int lo = 0;
        int hi = starts.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= position) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private ShardReader reader(int s) throws IOException {
        if (readers[s] == null) {
            ShardReader r = ShardReader.open(shards.path(s), conf);
            long listed = shards.shards().get(s).tokens();
            if (r.tokenCount() != listed) {
                r.close();
                throw new InvalidShardException(shards.path(s).toString(), "holds " + r.tokenCount()
                        + " tokens but the manifest lists " + listed + ": the shard changed after the set was"
                        + " written; check it with `mosa inspect " + shards.dir() + "` and re-run `mosa prepare`");
            }
            readers[s] = r;
        }
        return readers[s];
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int s = 0; s < readers.length; s++) {
            if (readers[s] != null) {
                try {
                    readers[s].close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
                readers[s] = null;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
