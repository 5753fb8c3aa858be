package io.mosaspark.prep.tokenize;

import java.io.Serializable;

/**
 * How executors get a tokenizer: a serialisable recipe (e.g. {@code spec::load} of a TokenizerSpec),
 * since tokenizers themselves are not serialisable.
 */
@FunctionalInterface
public interface TokenizerLoader extends Serializable {
    TextTokenizer load();
}
