package io.mosaspark.demo;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecallTaskTest {

    // 8 keys: ids 1-8 keys, 9-16 values, 17-80 facts (key·8 + value), 81-255 filler
    private final RecallTask task = new RecallTask(256, 128, 8, 8, 6, 3, 42);

    @Test
    void batchesAreAPureFunctionOfSeedAndStep() {
        RecallBatch later = task.batch(7, 4);
        task.batch(3, 4);
        assertTrue(Arrays.deepEquals(later.tokens(), new RecallTask(256, 128, 8, 8, 6, 3, 42).batch(7, 4).tokens()));
        assertFalse(Arrays.deepEquals(later.tokens(), task.batch(8, 4).tokens()));
        assertFalse(Arrays.deepEquals(later.tokens(), new RecallTask(256, 128, 8, 8, 6, 3, 43).batch(7, 4).tokens()));
        assertFalse(Arrays.deepEquals(task.heldOut(4).tokens(), task.batch(0, 4).tokens()));
        // the first sequences of a bigger batch are the same as a smaller batch's
        assertArrayEquals(later.tokens()[1], task.batch(7, 6).tokens()[1]);
    }

    @Test
    void everyQueryIsAnsweredByAFactEarlierInTheSequence() {
        RecallBatch b = task.batch(0, 32);
        for (int s = 0; s < b.batchSize(); s++) {
            int[] seq = b.tokens()[s];
            assertEquals(RecallTask.BOS, seq[0]);
            int contextEnd = seq.length - 2 * 3;
            Map<Integer, Integer> valueOfKey = new HashMap<>();
            for (int i = 1; i < contextEnd; i++) {
                if (seq[i] >= 17 && seq[i] < 81) {
                    int key = (seq[i] - 17) / 8, value = (seq[i] - 17) % 8;
                    assertEquals(null, valueOfKey.put(key, value), "keys of one sequence are distinct");
                } else {
                    assertTrue(seq[i] >= 81 && seq[i] < 256, "context holds facts and filler only: " + seq[i]);
                }
            }
            assertEquals(6, valueOfKey.size());
            int answers = 0;
            for (int q = 0; q < 3; q++) {
                int key = seq[contextEnd + 2 * q] - 1, value = seq[contextEnd + 2 * q + 1] - 9;
                assertTrue(key >= 0 && key < 8 && value >= 0 && value < 8, "query " + q);
                assertEquals(valueOfKey.get(key), value, "query " + q + " asks a fact seen before");
            }
            for (int t = 0; t < b.seqLen(); t++) {
                if (b.roles()[s][t] == RecallBatch.ANSWER) {
                    answers++;
                    assertTrue(t >= contextEnd && seq[t] >= 1 && seq[t] < 9, "answer positions hold a queried key");
                }
            }
            assertEquals(3, answers, "sequence " + s);
        }
    }

    @Test
    void valuesAreDrawnPerSequenceSoTheyMustBeRecalled() {
        Map<Integer, Set<Integer>> valuesOfKey = new HashMap<>();
        for (int[] seq : task.batch(3, 64).tokens()) {
            for (int i = 1; i < seq.length; i++) {
                if (seq[i] >= 17 && seq[i] < 81) valuesOfKey.computeIfAbsent((seq[i] - 17) / 8, k -> new HashSet<>()).add(seq[i]);
            }
        }
        assertEquals(8, valuesOfKey.size());
        valuesOfKey.forEach((k, v) -> assertTrue(v.size() >= 5, "key " + k + " nearly always has the same value: " + v));
    }

    @Test
    void factsSpreadOverTheWholeContext() {
        int early = 0, late = 0;
        for (int[] seq : task.batch(2, 64).tokens()) {
            for (int i = 1; i < 40; i++) if (seq[i] >= 17 && seq[i] < 81) early++;
            for (int i = 80; i < 120; i++) if (seq[i] >= 17 && seq[i] < 81) late++;
        }
        assertTrue(early > 60 && late > 60, "facts in the first / last 40 context tokens over 64 sequences: " + early + " / " + late);
    }

    @Test
    void arraysMatchTheTokens() {
        RecallBatch b = task.batch(1, 2);
        INDArray in = b.inputs(DataType.FLOAT), out = b.targets(DataType.FLOAT), mask = b.answerMask(DataType.FLOAT);
        assertArrayEquals(new long[]{2, 128}, in.shape());
        assertEquals(b.tokens()[1][5], in.getInt(1, 5));
        assertEquals(b.tokens()[1][6], out.getInt(1, 5));
        assertEquals(6, mask.sumNumber().intValue());
        INDArray answers = b.answerTargets(DataType.FLOAT);
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < 128; t++) {
                int expected = b.roles()[i][t] == RecallBatch.ANSWER ? b.tokens()[i][t + 1] : io.mosaspark.model.lm.LmHeadLoss.IGNORE;
                assertEquals(expected, answers.getInt(i, t), "answer target [" + i + ", " + t + "]");
            }
        }
        assertEquals(6, answers.gte(0).castTo(DataType.INT).sumNumber().intValue(), "only the answers are counted");
        assertEquals(6, b.answerCount());
        assertEquals(Math.log(8), task.chanceAnswerLoss(), 1e-15);
    }

    @Test
    void fillerCountsUpSoOnlyFactsAndAnswersAreUnpredictable() {
        int firstFiller = 81, fillers = 256 - firstFiller, checked = 0;
        for (int[] seq : task.batch(3, 4).tokens()) {
            for (int i = 2; i < seq.length; i++) {
                if (seq[i - 1] < firstFiller || seq[i] < firstFiller) continue;
                assertEquals(firstFiller + (seq[i - 1] - firstFiller + 1) % fillers, seq[i], "position " + i);
                checked++;
            }
        }
        assertTrue(checked > 4 * 100, "too few filler pairs: " + checked);
    }

    @Test
    void defaultsFitTheVocabulary() {
        // the default is a needle in a haystack with 16 values, fewer if the vocabulary is small
        assertEquals(List.of(1, 16, 1, 1), keysValuesFactsQueries(RecallTask.forModel(256, 128, 1)));
        assertEquals(List.of(1, 8, 1, 1), keysValuesFactsQueries(RecallTask.forModel(20, 64, 1)));   // 1 + 1 + 8 + 8 + 2 = 20
        assertEquals(List.of(1, 16, 1, 1), keysValuesFactsQueries(RecallTask.forModel(256, 23, 1)));
        assertEquals(16, RecallTask.defaultValues(256, 4));
        assertEquals(8, RecallTask.defaultValues(47, 4));                                              // 1 + 4 + 8 + 32 + 2 = 47
        RecallBatch needle = RecallTask.forModel(256, 128, 1).batch(0, 3);
        assertEquals(3, needle.answerCount());
        assertEquals(128, needle.roles()[0].length);
    }

    private static List<Integer> keysValuesFactsQueries(RecallTask t) {
        return List.of(t.keys(), t.values(), t.facts(), t.queries());
    }

    @Test
    void refusesSizesThatCannotHoldTheTask() {
        var e = assertThrows(IllegalArgumentException.class, () -> new RecallTask(60, 128, 8, 8, 6, 3, 1));
        assertTrue(e.getMessage().contains("vocab_size = 60: must be >= 83") && e.getMessage().contains("lower keys"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RecallTask(256, 10, 8, 8, 6, 3, 1));
        assertTrue(e.getMessage().contains("seq_len = 10: must be >= 18"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RecallTask(256, 128, 8, 8, 6, 7, 1));
        assertTrue(e.getMessage().contains("queries = 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RecallTask(256, 128, 8, 8, 9, 3, 1));
        assertTrue(e.getMessage().contains("facts = 9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> task.batch(0, 0));
        assertThrows(IllegalArgumentException.class, () -> task.batch(-1, 2));
    }
}
