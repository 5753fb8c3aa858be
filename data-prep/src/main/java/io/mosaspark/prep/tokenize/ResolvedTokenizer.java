package io.mosaspark.prep.tokenize;

import io.mosaspark.shards.manifest.TokenizerInfo;

/** The tokenizer a run uses: how executors load it and what the manifest says about it. */
public record ResolvedTokenizer(TokenizerLoader loader, TokenizerInfo info) {
}
