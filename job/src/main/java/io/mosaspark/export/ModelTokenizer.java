package io.mosaspark.export;

import io.mosaspark.prep.tokenize.TextTokenizer;
import io.mosaspark.prep.tokenize.TokenizerLocator;
import io.mosaspark.prep.tokenize.TokenizerSpec;
import io.mosaspark.shards.manifest.TokenizerInfo;
import io.mosaspark.train.checkpoint.TrainedModel;
import org.apache.hadoop.conf.Configuration;

/**
 * The tokenizer a trained model was trained with, found from the shard set's record of it that every
 * checkpoint keeps: the run directory's copy, else the shard set's own, verified by its SHA-256.
 */
public final class ModelTokenizer {

    private ModelTokenizer() {
    }

    public static TokenizerSpec spec(TrainedModel model, Configuration hadoop) {
        return TokenizerLocator.find(model.tokenizer(), model.tokenizerDirectories(), hadoop);
    }

    /** The loaded tokenizer; refuses one whose vocabulary does not fit the model's. */
    public static TextTokenizer load(TrainedModel model, Configuration hadoop) {
        TextTokenizer tokenizer = spec(model, hadoop).load(hadoop);
        TokenizerInfo recorded = model.tokenizer();
        int modelVocab = model.config().model().vocabSize();
        if (tokenizer.vocabSize() != recorded.vocabSize() || tokenizer.vocabSize() > modelVocab) {
            throw new IllegalArgumentException("tokenizer " + tokenizer + " does not match " + model.describe()
                    + ": the model has vocab_size = " + modelVocab + " and was trained on " + recorded.type() + " (vocab "
                    + recorded.vocabSize() + ")");
        }
        return tokenizer;
    }
}
