package io.mosaspark.demo;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How well a model does on a {@link RecallBatch}: mean next-token cross-entropy over all positions, and
 * cross-entropy and accuracy at the answer positions only (where the target is a queried value) —
 * the part only recall can predict.
 *
 * <p>Computed in one pass over the logits in double precision, so evaluation needs a single forward
 * pass (no separate {@code score} call).
 *
 * @param loss     mean −log p(target) over all B·T positions (nats)
 * @param answerLoss mean −log p(value) over the answer positions (nats)
 * @param accuracy share of answer positions whose most likely token is the value
 * @param count    number of answer positions
 */
public record AnswerScore(double loss, double answerLoss, double accuracy, int count) {

    /** @param logits [B, T, V] unnormalised scores of the batch's inputs */
    public static AnswerScore of(INDArray logits, RecallBatch batch) {
        long[] s = logits.shape();
        if (s.length != 3 || s[0] != batch.batchSize() || s[1] != batch.seqLen()) {
            throw new IllegalArgumentException("logits of shape " + java.util.Arrays.toString(s) + " do not fit a batch of "
                    + batch.batchSize() + " sequences of length " + batch.seqLen() + " (expected [B, T, V])");
        }
        int vocab = (int) s[2];
        double[] all = logits.castTo(DataType.DOUBLE).dup('c').data().asDouble();   // [B·T·V]
        double lossSum = 0, answerSum = 0;
        int correct = 0, count = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 0; t < batch.seqLen(); t++) {
                int row = (b * batch.seqLen() + t) * vocab;
                int target = batch.tokens()[b][t + 1];
                double nll = logSumExp(all, row, vocab) - all[row + target];
                lossSum += nll;
                if (batch.roles()[b][t] != RecallBatch.ANSWER) continue;
                answerSum += nll;
                if (argMax(all, row, vocab) == target) correct++;
                count++;
            }
        }
        if (count == 0) throw new IllegalArgumentException("the batch has no answer positions");
        return new AnswerScore(lossSum / ((long) batch.batchSize() * batch.seqLen()), answerSum / count,
                (double) correct / count, count);
    }

    private static double logSumExp(double[] v, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) max = Math.max(max, v[i]);
        double sum = 0;
        for (int i = from; i < from + n; i++) sum += Math.exp(v[i] - max);
        return max + Math.log(sum);
    }

    private static int argMax(double[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (v[from + i] > v[from + best]) best = i;
        return best;
    }
}
