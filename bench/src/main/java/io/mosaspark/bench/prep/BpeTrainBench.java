package io.mosaspark.bench.prep;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.prep.tokenize.BpeTrainer;
import io.mosaspark.prep.tokenize.BpeTrainingConfig;
import io.mosaspark.prep.tokenize.TrainedBpe;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/** Wall time of training a BPE vocabulary (the issue: 8k ids on 20 MB in at most 60 s). */
final class BpeTrainBench implements Suite {

    static final double TARGET_SECONDS = 60;

    private final PrepSession session;
    private final BpeTrainingConfig config;

    BpeTrainBench(PrepSession session, BpeTrainingConfig config) {
        this.session = session;
        this.config = config;
    }

    @Override
    public String name() {
        return "bpe-train";
    }

    @Override
    public void run(BenchReport report) {
        BenchCorpus corpus = session.corpus();
        report.addInput(corpus.input());
        report.emit(name(), "train-time", measure(session.context(), corpus, session.partitions()).fields());
    }

    private BenchResult measure(JavaSparkContext spark, BenchCorpus corpus, int partitions) {
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
        details.put("spark_version", spark.version());
        details.put("distinct_words", trained.provenance().distinctWords());
        details.put("kept_words", trained.provenance().keptWords());
        details.put("merges", trained.merges().size());
        details.put("count_seconds", trained.provenance().countSeconds());
        details.put("merge_seconds", trained.provenance().mergeSeconds());
        double ratio = TARGET_SECONDS / seconds;
        return new BenchResult("train_seconds", "s", seconds, TARGET_SECONDS, ratio, 1.0, ratio >= 1.0,
                details);
    }
}
