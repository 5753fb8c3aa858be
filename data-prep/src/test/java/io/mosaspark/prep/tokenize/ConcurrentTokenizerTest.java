package io.mosaspark.prep.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Executors share one tokenizer per JVM across task threads: results must not depend on that. */
class ConcurrentTokenizerTest {

    @Test
    void sharedTokenizersGiveTheSequentialResults() throws Exception {
        TrainedBpe trained = HuggingFaceTokenizerJsonTest.train("gpt2", 500);
        List<TextTokenizer> tokenizers = List.of(trained.toTokenizer(), TokenizerSpec.parse("cl100k_base").load());
        for (TextTokenizer tokenizer : tokenizers) {
            int[] specials = IntStream.range(tokenizer.eotToken(), tokenizer.vocabSize())
                    .filter(id -> isDecodable(tokenizer, id)).toArray();
            List<int[]> expected = HostileText.SAMPLES.stream().map(tokenizer::encode).toList();
            String expectedSpecials = tokenizer.decode(specials);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int thread = 0; thread < 4; thread++) {
                    runs.add(pool.submit(() -> {
                        for (int round = 0; round < 5; round++) {
                            for (int i = 0; i < expected.size(); i++) {
                                assertArrayEquals(expected.get(i), tokenizer.encode(HostileText.SAMPLES.get(i)));
                                assertEquals(HostileText.SAMPLES.get(i), tokenizer.decode(expected.get(i)));
                            }
                            assertEquals(expectedSpecials, tokenizer.decode(specials));
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static boolean isDecodable(TextTokenizer tokenizer, int id) {
        try {
            tokenizer.decode(new int[] {id});
            return true;
        } catch (IllegalArgumentException unused) {
            return false;
        }
    }
}
