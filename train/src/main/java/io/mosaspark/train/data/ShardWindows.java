package io.mosaspark.train.data;

import io.mosaspark.shards.manifest.Split;
import io.mosaspark.shards.set.ShardSet;
import io.mosaspark.shards.set.SplitShards;
import io.mosaspark.shards.window.TokenStream;
import io.mosaspark.shards.window.WindowCursor;
import io.mosaspark.shards.window.WindowPlan;
import io.mosaspark.shards.window.WindowPosition;
import io.mosaspark.spark.SerializableHadoopConf;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;

/**
 * A shard set's train and validation windows, read by each worker straight from the shards through
 * the Hadoop filesystem. Train windows follow the shards module's {@link WindowCursor} (a permutation
 * per epoch, rank-strided); validation windows are taken in stream order, rank r scoring windows r,
 * r + N, …, so every evaluation sees the same windows.
 */
public final class ShardWindows implements TrainingData {
    private static final long serialVersionUID = 1L;

    private final WindowPlan train;
    private final SplitShards validation;
    private final String source;
    private final SerializableHadoopConf hadoop;

    private ShardWindows(WindowPlan train, SplitShards validation, String source, Configuration hadoop) {
        this.train = train;
        this.validation = validation;
        this.source = source;
        this.hadoop = new SerializableHadoopConf(hadoop);
    }

    /**
     * The windows of an opened (validated) shard set for {@code workers} ranks.
     *
     * @throws IllegalArgumentException when the train split has fewer windows than workers
     */
    public static ShardWindows of(ShardSet set, int seqLen, int workers, long seed, Configuration hadoop) {
        return of(set, seqLen, workers, seed, hadoop, Split.VAL);
    }

    /**
     * As {@link #of(ShardSet, int, int, long, Configuration)}, with {@code scored} as the split that
     * {@link #validation} reads: {@code mosa eval --split train} scores the train split's windows in
     * stream order, exactly as validation scores the val split's.
     */
    public static ShardWindows of(ShardSet set, int seqLen, int workers, long seed, Configuration hadoop, Split scored) {
        WindowPlan plan = new WindowPlan(set.split(Split.TRAIN), seqLen + 1, workers, seed);
        return new ShardWindows(plan, set.split(scored), set.dir().toString(), hadoop);
    }

    @Override
    public int windowLength() {
        return train.windowLength();
    }

    @Override
    public long windowsPerRank() {
        return train.windowsPerRank();
    }

    @Override
    public WindowStream train(int rank, long position) {
        long perRank = train.windowsPerRank();
        WindowCursor cursor = WindowCursor.open(train, rank, hadoop.get())
                .at(new WindowPosition(position / perRank, position % perRank));
        return new WindowStream() {
            @Override
            public boolean next(int[] window) throws IOException {
                cursor.next(window);
                return true;
            }

            @Override
            public void close() throws IOException {
                cursor.close();
            }
        };
    }

    @Override
    public long validationWindows() {
        long tokens = validation.tokens();
        int t = train.stride();
        return tokens < windowLength() ? 0 : (tokens - 1) / t;
    }

    @Override
    public WindowStream validation(int rank, int workers, long limit) {
        long total = limit > 0 ? Math.min(limit, validationWindows()) : validationWindows();
        int t = train.stride();
        TokenStream stream = TokenStream.open(validation, hadoop.get());
        return new WindowStream() {
            long w = rank;

            @Override
            public boolean next(int[] window) throws IOException {
                if (w >= total) return false;
                stream.read(w * t, window, 0, windowLength());
                w += workers;
                return true;
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    @Override
    public String describe() {
        return source + " (train " + train.shards().tokens() + " tokens, " + train.windows() + " windows of "
                + windowLength() + "; val " + validation.tokens() + " tokens)";
    }
}
