package io.mosaspark.prep.tokenize;

import io.mosaspark.provenance.CodeVersion;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a byte-level BPE tokenizer: words counted on the executors ({@link WordCounter}), merges
 * learned on the driver ({@link BpeMerger}). Ids: the 256 bytes (0..255), merged tokens in the order
 * learned, then the special tokens. Same input and config give the same tokenizer, byte for byte,
 * whatever the partitioning.
 */
public final class BpeTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(BpeTrainer.class);

    private final BpeTrainingConfig config;

    public BpeTrainer(BpeTrainingConfig config) {
        this.config = config;
    }

    /** @param input names the documents for the provenance (e.g. their path) */
    public TrainedBpe train(Dataset<String> documents, String input) {
        return train(documents.javaRDD(), input);
    }

    /** @param input names the documents for the provenance (e.g. their path) */
    public TrainedBpe train(JavaRDD<String> documents, String input) {
        LOG.info("Training BPE on {} with {}", input, config);
        long start = System.nanoTime();
        WordCounts counts = WordCounter.count(documents, config.pattern(), config.maxDistinctWords());
        double countSeconds = (System.nanoTime() - start) / 1e9;
        LOG.info("Counted {} documents, {} bytes, {} distinct words ({} kept) in {} s", counts.documents(),
                counts.bytes(), counts.distinctWords(), counts.words().length, countSeconds);
        return learn(counts, input, countSeconds);
    }

    /** The driver half, also usable on a word table built without Spark. */
    TrainedBpe learn(WordCounts counts, String input, double countSeconds) {
        long start = System.nanoTime();
        byte[][] words = new byte[counts.words().length][];
        for (int i = 0; i < words.length; i++) {
            words[i] = PreTokenizer.utf8(counts.words()[i]);
        }
        BpeMerger merger = new BpeMerger(words, counts.counts());
        int created = merger.run(config.mergeTarget(), config.minPairFrequency());
        if (created < config.mergeTarget()) {
            throw new IllegalStateException("vocab_size: " + config.vocabSize() + " needs " + config.mergeTarget()
                    + " merged tokens but the corpus " + input + " (" + counts.documents() + " documents, "
                    + counts.bytes() + " bytes) has only " + created + " pairs seen at least "
                    + config.minPairFrequency() + " times; use a larger corpus, a smaller vocab_size (at most "
                    + (config.vocabSize() - config.mergeTarget() + created) + ") or a lower min_pair_frequency");
        }
        double mergeSeconds = (System.nanoTime() - start) / 1e9;
        BpeVocabulary vocabulary = new BpeVocabulary(config.pattern(), merger.tokens(), config.specialTokens());
        TrainingProvenance provenance = new TrainingProvenance(input, counts.documents(), counts.bytes(),
                counts.distinctWords(), words.length, merger.merges().size(), config,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), CodeVersion.current().toString(),
                countSeconds, mergeSeconds);
        LOG.info("Learned {} merges in {} s", merger.merges().size(), mergeSeconds);
        return new TrainedBpe(vocabulary, merger.merges(), provenance);
    }
}
