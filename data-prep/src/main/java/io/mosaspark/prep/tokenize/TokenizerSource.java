package io.mosaspark.prep.tokenize;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;

/**
 * Provides the run's tokenizer, possibly training it on the cleaned, deduplicated training documents
 * and saving its files under the output's {@code tokenizer/} directory.
 */
@FunctionalInterface
public interface TokenizerSource {
    String DIR = "tokenizer";

    ResolvedTokenizer resolve(JavaRDD<String> trainingDocuments, Path workDir, Configuration conf) throws IOException;
}
