package io.mosaspark.model.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each sampling setting lets through, on logits whose softmax is known. */
class SamplerTest {
    /** Probabilities 0.5, 0.25, 0.125, 0.0625, 0.0625 at temperature 1. */
    private static final float[] LOGITS = {
        (float) Math.log(0.0625), (float) Math.log(0.5), (float) Math.log(0.125), (float) Math.log(0.25), (float) Math.log(0.0625)};

    private static Map<Integer, Integer> draw(Sampling s, int n) {
        Sampler sampler = new Sampler(s);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) counts.merge(sampler.next(LOGITS), 1, Integer::sum);
        return counts;
    }

    @Test
    void temperatureZeroIsTheArgmax() {
        assertEquals(Map.of(1, 50), draw(Sampling.greedy(), 50));
    }

    @Test
    void topKKeepsTheKMostLikely() {
        assertEquals(Map.of(1, 200), draw(new Sampling(1, 1, 1, 3), 200));
        assertTrue(java.util.Set.of(1, 3).containsAll(draw(new Sampling(1, 2, 1, 3), 400).keySet()));
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // 0.5 + 0.25 = 0.75 ≥ 0.7: tokens 1 and 3 only, drawn about 2 : 1
        Map<Integer, Integer> c = draw(new Sampling(1, 0, 0.7, 5), 3000);
        assertEquals(java.util.Set.of(1, 3), c.keySet());
        assertEquals(2.0, c.get(1) / (double) c.get(3), 0.25);
    }

    @Test
    void fullSamplingFollowsTheSoftmax() {
        Map<Integer, Integer> c = draw(new Sampling(1, 0, 1, 9), 16000);
        assertEquals(0.5, c.get(1) / 16000.0, 0.02);
        assertEquals(0.0625, c.get(4) / 16000.0, 0.01);
    }

    @Test
    void theSameSeedDrawsTheSameTokens() {
        Sampler a = new Sampler(new Sampling(0.8, 0, 1, 42)), b = new Sampler(new Sampling(0.8, 0, 1, 42));
        for (int i = 0; i < 100; i++) assertEquals(a.next(LOGITS), b.next(LOGITS));
    }

    @Test
    void outOfRangeSettingsAreRefusedNamingTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sampling(Double.NaN, 0, 1, 0)).getMessage()
                .startsWith("--temperature = NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sampling(1, 0, 0, 0)).getMessage()
                .startsWith("--top-p = 0.0"));
    }
}
