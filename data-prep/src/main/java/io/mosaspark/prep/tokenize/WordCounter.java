package io.mosaspark.prep.tokenize;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The distributed half of BPE training: executors pre-tokenise documents and count words
 * (per-partition maps, then reduceByKey); the driver receives the most frequent
 * {@code maxDistinctWords} words only, so the table fits on the driver whatever the corpus size.
 */
final class WordCounter {

    /** Never a word (the pre-tokenizer emits no empty piece): its count is the number of documents. */
    private static final String DOCUMENTS_KEY = "";

    private WordCounter() {
    }

    static WordCounts count(JavaRDD<String> documents, String pattern, int maxDistinctWords) {
        PreTokenizer preTokenizer = new PreTokenizer(pattern);
        JavaPairRDD<String, Long> counted = documents
                .mapPartitionsToPair(docs -> countPartition(docs, preTokenizer))
                .reduceByKey(Long::sum)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long[] totals = counted.aggregate(new long[3], WordCounter::addToTotals, WordCounter::sumTotals);
            long distinct = totals[2];
            List<Tuple2<String, Long>> kept = distinct <= maxDistinctWords
                    ? counted.filter(e -> !e._1().isEmpty()).collect()
                    : counted.filter(e -> !e._1().isEmpty()).takeOrdered(maxDistinctWords, new MostFrequentFirst());
            List<Tuple2<String, Long>> sorted = new ArrayList<>(kept);
            sorted.sort(Comparator.comparing(Tuple2::_1));
            String[] words = new String[sorted.size()];
            long[] counts = new long[sorted.size()];
            for (int i = 0; i < words.length; i++) {
                words[i] = sorted.get(i)._1();
                counts[i] = sorted.get(i)._2();
            }
            return new WordCounts(words, counts, totals[0], totals[1], distinct);
        } finally {
            counted.unpersist(false);
        }
    }

    private static Iterator<Tuple2<String, Long>> countPartition(Iterator<String> docs, PreTokenizer preTokenizer) {
        Map<String, long[]> local = new HashMap<>();
        long documents = 0;
        while (docs.hasNext()) {
            String doc = docs.next();
            if (doc == null) {
                continue;
            }
            documents++;
            preTokenizer.forEachPiece(doc, piece -> local.computeIfAbsent(piece, p -> new long[1])[0]++);
        }
        List<Tuple2<String, Long>> out = new ArrayList<>(local.size() + 1);
        out.add(new Tuple2<>(DOCUMENTS_KEY, documents));
        local.forEach((word, n) -> out.add(new Tuple2<>(word, n[0])));
        return out.iterator();
    }

    /** totals = [documents, bytes, distinct words]. */
    private static long[] addToTotals(long[] totals, Tuple2<String, Long> entry) {
        if (entry._1().isEmpty()) {
            totals[0] += entry._2();
        } else {
            totals[1] += entry._2() * PreTokenizer.utf8(entry._1()).length;
            totals[2]++;
        }
        return totals;
    }

    private static long[] sumTotals(long[] a, long[] b) {
        return new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    /** Count descending, then word ascending: a total order, so the cap keeps the same words however the data is split. */
    private static final class MostFrequentFirst implements Comparator<Tuple2<String, Long>>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
            int byCount = Long.compare(b._2(), a._2());
            return byCount != 0 ? byCount : a._1().compareTo(b._1());
        }
    }
}
