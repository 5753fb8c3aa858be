package io.mosaspark.demo;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AnswerScoreTest {

    private final RecallTask task = new RecallTask(128, 40, 8, 8, 3, 2, 5);

    @Test
    void uniformLogitsScoreLnV() {
        RecallBatch b = task.batch(0, 3);
        AnswerScore s = AnswerScore.of(Nd4j.zeros(DataType.FLOAT, 3, 40, 128), b);
        assertEquals(Math.log(128), s.loss(), 1e-12);
        assertEquals(Math.log(128), s.answerLoss(), 1e-12);
        assertEquals(6, s.count());
    }

    @Test
    void anOracleScoresZeroLossAndFullAccuracyAndOnlyAnswerPositionsCount() {
        RecallBatch b = task.batch(1, 2);
        INDArray logits = Nd4j.zeros(DataType.DOUBLE, 2, 40, 128);
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < 40; t++) {
                int target = b.tokens()[i][t + 1];
                // confident and right at answers, confidently wrong elsewhere (must not matter)
                int favoured = b.roles()[i][t] == RecallBatch.ANSWER ? target : (target + 1) % 128;
                logits.putScalar(new long[]{i, t, favoured}, 100);
            }
        }
        AnswerScore s = AnswerScore.of(logits, b);
        assertEquals(0, s.answerLoss(), 1e-12);
        assertEquals(1.0, s.accuracy());
        assertEquals(100.0 * (80 - 4) / 80, s.loss(), 1e-9, "wrong by 100 nats at the 76 other positions");
        // one answer made wrong: accuracy 3/4, loss (100 + ln 2) / 4 ... exactly: lse(100,100,0..) - 0
        int t0 = -1;
        for (int t = 0; t < 40 && t0 < 0; t++) if (b.roles()[0][t] == RecallBatch.ANSWER) t0 = t;
        logits.putScalar(new long[]{0, t0, b.tokens()[0][t0 + 1]}, 0);
        logits.putScalar(new long[]{0, t0, (b.tokens()[0][t0 + 1] + 1) % 128}, 100);
        s = AnswerScore.of(logits, b);
        assertEquals(0.75, s.accuracy());
        assertEquals(100.0 / 4, s.answerLoss(), 1e-9);
    }

    @Test
    void refusesLogitsOfAnotherShape() {
        RecallBatch b = task.batch(0, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> AnswerScore.of(Nd4j.zeros(DataType.FLOAT, 2, 128, 40), b));
        assertEquals("logits of shape [2, 128, 40] do not fit a batch of 2 sequences of length 40 (expected [B, T, V])", e.getMessage());
    }
}
