package io.mosaspark.prep.bench;

import io.mosaspark.prep.tokenize.BpeTrainer;
import io.mosaspark.prep.tokenize.BpeTrainingConfig;
import io.mosaspark.prep.tokenize.TrainedBpe;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/** Wall time of training a BPE vocabulary (the issue: 8k ids on 20 MB in at most 60 s). */
final class BpeTrainBench {

    static final double TARGET_SECONDS = 60;

    private BpeTrainBench() {
    }

    static BenchResult run(JavaSparkContext spark, BenchCorpus corpus, BpeTrainingConfig config, int partitions) {
        JavaRDD<String> rdd = corpus.toRdd(spark, partitions).persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        long start = System.nanoTime();
        TrainedBpe trained = new BpeTrainer(config).train(rdd, "bench corpus");
        double seconds = (System.nanoTime() - start) / 1e9;
        rdd.unpersist(true);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("vocab_size", config.vocabSize());
        details.put("documents", corpus.documents().size());
        details.put("megabytes", corpus.bytes() / 1e6);
        details.put("partitions", partitions);
        details.put("spark_master", spark.master());
        details.put("distinct_words", trained.provenance().distinctWords());
        details.put("kept_words", trained.provenance().keptWords());
        details.put("merges", trained.merges().size());
        details.put("count_seconds", trained.provenance().countSeconds());
        details.put("merge_seconds", trained.provenance().mergeSeconds());
        double ratio = TARGET_SECONDS / seconds;
        return new BenchResult("bpe-train", "train_seconds", "s", seconds, TARGET_SECONDS, ratio, 1.0, ratio >= 1.0,
                details);
    }
}
