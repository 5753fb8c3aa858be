package io.mosaspark.train.round;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Spark's {@code treeAggregate}, with one change: partial results are merged in partition order, not in
 * the order they arrive.
 *
 * <p>Why not {@code RDD.treeAggregate} itself: its last level folds task results on the driver as tasks
 * finish, and its inner levels ({@code foldByKey}) merge map outputs in fetch order. Floating-point
 * addition is not associative, so with three or more workers the sum, and so the trained model, would
 * depend on which executor happened to finish first, and a retried task could change the result. Here
 * every level tags each partial sum with its source index, groups {@code scale} of them per reducer
 * and merges them sorted by index; the driver merges the last level's results by index too. The tree
 * has the same shape as Spark's (fan-in {@code max(⌈n^(1/depth)⌉, 2)}, the same stopping rule), so the
 * driver receives a handful of partial sums, not one per worker.
 */
public final class OrderedTreeAggregate {

    private OrderedTreeAggregate() {
    }

    /**
     * Merges the elements of {@code values} (any number per partition) in partition order, then element
     * order, as {@code merge(merge(v0, v1), v2)…}. {@code merge} may consume its first argument.
     */
    public static <T extends Serializable> T aggregate(JavaRDD<T> values, Function2<T, T, T> merge, int depth) {
        if (depth < 1) throw new IllegalArgumentException("aggregation depth = " + depth + ": must be >= 1");
        int n = values.getNumPartitions();
        JavaPairRDD<Integer, T> level = values.mapPartitionsWithIndex((index, it) -> {
            T acc = null;
            while (it.hasNext()) {
                T v = it.next();
                acc = acc == null ? v : merge.call(acc, v);
            }
            List<Tuple2<Integer, T>> out = new ArrayList<>(1);
            if (acc != null) out.add(new Tuple2<>(index, acc));
            return out.iterator();
        }, true).mapToPair(t -> t);
        for (int parts : intermediateLevels(n, depth)) {
            level = level.mapToPair(t -> new Tuple2<>(t._1() % parts, t))
                    .groupByKey(new HashPartitioner(parts))
                    .mapToPair(group -> new Tuple2<>(group._1(), mergeInOrder(group._2(), merge)));
        }
        List<Tuple2<Integer, T>> last = level.collect();
        if (last.isEmpty()) throw new IllegalStateException("nothing to aggregate: the RDD is empty");
        try {
            return mergeInOrder(last, merge);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("merging the partial sums failed: " + e.getMessage(), e);
        }
    }

    /**
     * The partition counts of the levels between the workers and the driver, Spark's shape: fan-in
     * {@code max(⌈n^(1/depth)⌉, 2)}, a level added while it saves the driver more than it costs.
     */
    public static List<Integer> intermediateLevels(int n, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
        List<Integer> levels = new ArrayList<>();
        while (n > scale + Math.ceil((double) n / scale)) {
            n /= scale;
            levels.add(n);
        }
        return levels;
    }

    /** How many partial results the driver receives from {@code n} partitions at this depth. */
    public static int partialResultsAtDriver(int n, int depth) {
        List<Integer> levels = intermediateLevels(n, depth);
        return levels.isEmpty() ? n : levels.get(levels.size() - 1);
    }

    private static <T> T mergeInOrder(Iterable<Tuple2<Integer, T>> tagged, Function2<T, T, T> merge) throws Exception {
        List<Tuple2<Integer, T>> sorted = new ArrayList<>();
        tagged.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(Tuple2::_1));
        T acc = null;
        for (Tuple2<Integer, T> t : sorted) acc = acc == null ? t._2() : merge.call(acc, t._2());
        return acc;
    }
}
