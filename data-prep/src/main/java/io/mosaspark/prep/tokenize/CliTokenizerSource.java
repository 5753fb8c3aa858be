package io.mosaspark.prep.tokenize;

import io.mosaspark.shards.manifest.TokenizerInfo;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;

/**
 * The {@code --tokenizer} forms: a pretrained encoding name, {@code train:<vocab>} (byte-level BPE
 * trained on this run's training split, saved into the output) or a trained tokenizer directory
 * (copied into the output so the shard set is self-contained).
 */
public final class CliTokenizerSource implements TokenizerSource {
    private static final String TRAIN_PREFIX = "train:";

    private final String option;
    private final long seed;
    private final String inputDescription;

    /**
     * @param option           the {@code --tokenizer} value
     * @param seed             seeds BPE training
     * @param inputDescription what the training documents are, for the tokenizer's metadata
     */
    public CliTokenizerSource(String option, long seed, String inputDescription) {
        this.option = option.strip();
        this.seed = seed;
        this.inputDescription = inputDescription;
        if (this.option.startsWith(TRAIN_PREFIX)) {
            trainingConfig(); // validate early, before any Spark work
        }
    }

    @Override
    public ResolvedTokenizer resolve(JavaRDD<String> trainingDocuments, Path workDir, Configuration conf)
            throws IOException {
        Path dir = new Path(workDir, DIR);
        TokenizerSpec spec;
        if (option.startsWith(TRAIN_PREFIX)) {
            spec = new BpeTrainer(trainingConfig()).train(trainingDocuments, inputDescription)
                    .save(dir.toString(), conf);
        } else {
            spec = TokenizerSpec.parse(option);
            if (!spec.isPretrained()) {
                copyDirectory(new Path(spec.directory()), dir, conf);
            }
        }
        TextTokenizer tokenizer = spec.load(conf);
        TokenizerInfo info = new TokenizerInfo(spec.isPretrained() ? null : DIR, tokenizer.type(),
                tokenizer.vocabSize(), tokenizer.eotToken(), spec.sha256(conf));
        TokenizerSpec shipped = spec;
        return new ResolvedTokenizer(shipped::load, info);
    }

    private BpeTrainingConfig trainingConfig() {
        String vocab = option.substring(TRAIN_PREFIX.length());
        int size;
        try {
            size = Integer.parseInt(vocab);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--tokenizer train:<vocab> needs an integer vocabulary size, got '"
                    + option + "'");
        }
        BpeTrainingConfig d = BpeTrainingConfig.defaults();
        return new BpeTrainingConfig(size, d.specialTokens(), d.pattern(), d.minPairFrequency(), seed,
                d.maxDistinctWords());
    }

    private static void copyDirectory(Path from, Path to, Configuration conf) throws IOException {
        FileSystem src = from.getFileSystem(conf);
        if (!src.exists(from) || !src.getFileStatus(from).isDirectory()) {
            throw new IllegalArgumentException("--tokenizer " + from + " is neither a pretrained encoding name "
                    + "(r50k_base, cl100k_base, o200k_base), train:<vocab>, nor a tokenizer directory");
        }
        FileSystem dst = to.getFileSystem(conf);
        dst.mkdirs(to);
        for (FileStatus f : src.listStatus(from)) {
            if (f.isFile()) {
                FileUtil.copy(src, f.getPath(), dst, new Path(to, f.getPath().getName()), false, conf);
            }
        }
    }
}
