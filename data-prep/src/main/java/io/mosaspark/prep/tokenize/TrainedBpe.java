package io.mosaspark.prep.tokenize;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** A freshly trained tokenizer: its vocabulary, the merges that built it, and how it was made. */
public record TrainedBpe(BpeVocabulary vocabulary, List<BpeMerge> merges, TrainingProvenance provenance) {

    public TrainedBpe {
        merges = List.copyOf(merges);
    }

    /**
     * Writes {@code tokenizer.tiktoken}, {@code tokenizer.json} and {@code tokenizer-meta.json} to
     * {@code directory} (any Hadoop URI; it must not exist yet) atomically, and returns its spec.
     */
    public TokenizerSpec save(String directory, Configuration hadoopConf) throws IOException {
        TokenizerDirectory.save(this, directory, hadoopConf);
        return TokenizerSpec.trained(directory);
    }

    public TextTokenizer toTokenizer() {
        return vocabulary.toTokenizer();
    }
}
