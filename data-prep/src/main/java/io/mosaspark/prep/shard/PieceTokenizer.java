package io.mosaspark.prep.shard;

import io.mosaspark.prep.clean.CleanedRecord;
import io.mosaspark.prep.clean.DocumentSplitter;
import io.mosaspark.prep.split.HashSplit;
import io.mosaspark.prep.tokenize.TextTokenizer;
import io.mosaspark.prep.tokenize.TokenizerLoader;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Puts a split's documents in their final order and tokenizes them: each document is cut into
 * pieces of at most --max-chars, and every piece becomes {@code [EOT] + encode(piece)}. Sorting the
 * texts before tokenizing means the (costly) tokenizer runs once per document and its output is
 * already in order: partition index, then position within the partition.
 */
public final class PieceTokenizer {
    private PieceTokenizer() {
    }

    public static JavaRDD<int[]> tokenizeInOrder(JavaRDD<CleanedRecord> documents, HashSplit split, int maxChars,
                                                 TokenizerLoader loader) {
        return documents
                .mapToPair(d -> new Tuple2<>(new DocKey(split.order(d.sha256()), d.sha256()), d.text()))
                .sortByKey(true)
                .values()
                .mapPartitions(texts -> new Pieces(texts, maxChars, loader.load()));
    }

    /** How many pieces a document of this text becomes (for the reconciliation). */
    public static int pieceCount(String text, int maxChars) {
        return DocumentSplitter.split(text, maxChars).size();
    }

    /** Documents longer than --max-chars, and the pieces all documents become. */
    public record PieceCounts(long documentsSplit, long pieces) implements java.io.Serializable {
    }

    public static PieceCounts count(JavaRDD<CleanedRecord> documents, int maxChars) {
        long[] c = documents.map(d -> new long[] {d.text().length() > maxChars ? 1 : 0, pieceCount(d.text(), maxChars)})
                .fold(new long[2], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        return new PieceCounts(c[0], c[1]);
    }

    /** Lazily yields the token arrays of each text's pieces, in order. */
    private static final class Pieces implements Iterator<int[]> {
        private final Iterator<String> texts;
        private final int maxChars;
        private final TextTokenizer tokenizer;
        private final ArrayDeque<String> pending = new ArrayDeque<>();

        Pieces(Iterator<String> texts, int maxChars, TextTokenizer tokenizer) {
            this.texts = texts;
            this.maxChars = maxChars;
            this.tokenizer = tokenizer;
        }

        @Override
        public boolean hasNext() {
            while (pending.isEmpty() && texts.hasNext()) {
                pending.addAll(DocumentSplitter.split(texts.next(), maxChars));
            }
            return !pending.isEmpty();
        }

        @Override
        public int[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int[] body = tokenizer.encode(pending.poll());
            int[] tokens = new int[body.length + 1];
            tokens[0] = tokenizer.eotToken();
            System.arraycopy(body, 0, tokens, 1, body.length);
            return tokens;
        }
    }
}
