package io.mosaspark.model.demo;

import io.mosaspark.model.config.TrainingConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains one language model on a {@link RecallTask} with DL4J's own {@code ComputationGraph.fit}: step s
 * fits batch s of the task, so models trained with the same task see the same data in the same order.
 * Every {@code evalEvery} steps (and at the end) it scores a held-out batch: overall next-token loss and
 * the loss and accuracy at the answer positions, which is what separates models that recall from models
 * that only learned the token statistics.
 */
public final class RecallTraining {

    /**
     * The demo's own settings; steps and batch size come from the {@link TrainingConfig}.
     *
     * @param evalEvery     steps between evaluations on the held-out batch (the last step is always evaluated)
     * @param evalBatchSize sequences in the held-out batch
     * @param averageLast   evaluations at the end whose mean is the run's answer score
     * @param lossOn        which positions the training loss covers
     */
    public record Settings(int evalEvery, int evalBatchSize, int averageLast, LossOn lossOn) {
        public Settings {
            java.util.Objects.requireNonNull(lossOn, "lossOn");
            require(averageLast >= 1, "average-last", averageLast, "must be >= 1");
            require(evalEvery > 0, "eval-every", evalEvery, "must be > 0");
            require(evalBatchSize > 0, "eval-batch", evalBatchSize, "must be > 0");
        }
    }

    /**
     * The positions the training loss covers. Evaluation always reports both the loss over all positions
     * and the answer loss.
     */
    public enum LossOn {
        /** Only the answers (other targets are {@link io.mosaspark.model.lm.LmHeadLoss#IGNORE}d): all gradient goes to recall. */
        ANSWERS,
        /** Every position, filler included: plain language modelling. */
        ALL;

        INDArray targets(RecallBatch batch, DataType type) {
            return this == ANSWERS ? batch.answerTargets(type) : batch.targets(type);
        }
    }

    /** One evaluation on the held-out batch. */
    public record Evaluation(int step, AnswerScore score) {
    }

    /**
     * @param label          the run's name ("dense", "mosa")
     * @param evaluations    every evaluation in step order, the first before training
     * @param lastTrainLoss  training loss of the last step
     * @param tokensPerSecond training tokens per second (fit only, evaluation excluded)
     * @param seconds        wall time of the run
     */
    public record Result(String label, List<Evaluation> evaluations, double lastTrainLoss,
                         double tokensPerSecond, double seconds) {

        public Result {
            evaluations = List.copyOf(evaluations);
        }

        public Evaluation first() {
            return evaluations.get(0);
        }

        public Evaluation last() {
            return evaluations.get(evaluations.size() - 1);
        }

        /**
         * The last {@code n} evaluations after training started (fewer if there are fewer). Averaging them
         * is the run's answer score: one held-out evaluation jumps by a few tenths of a nat between checks.
         */
        public List<Evaluation> tail(int n) {
            if (n < 1) throw new IllegalArgumentException("--average-last = " + n + ": must be >= 1");
            int from = Math.max(1, evaluations.size() - n);
            return evaluations.size() == 1 ? evaluations : evaluations.subList(from, evaluations.size());
        }

        public double tailAnswerLoss(int n) {
            return tail(n).stream().mapToDouble(e -> e.score().answerLoss()).average().orElseThrow();
        }

        public double tailAccuracy(int n) {
            return tail(n).stream().mapToDouble(e -> e.score().accuracy()).average().orElseThrow();
        }
    }

    private RecallTraining() {
    }

    /** Trains {@code graph} (built for {@code training}) for {@code training.steps()} batches of {@code training.batchSize()}. */
    public static Result run(String label, ComputationGraph graph, RecallTask task, TrainingConfig training, Settings s,
                             Path metricsFile, PrintWriter progressOut) throws IOException {
        DataType type = graph.params().dataType();
        RecallBatch heldOut = task.heldOut(s.evalBatchSize());
        long tokensPerStep = (long) training.batchSize() * task.seqLen();
        Progress progress = new Progress(progressOut, label, training.steps(), tokensPerStep);
        double fitSeconds = 0;
        double trainLoss = Double.NaN;
        List<Evaluation> evaluations = new ArrayList<>();
        try (MetricsLog metrics = new MetricsLog(metricsFile)) {
            Evaluation first = evaluate(graph, heldOut, 0, type);
            metrics.write(record(first, Double.NaN, 0, progress.elapsedSeconds()));
            evaluations.add(first);
            for (int step = 1; step <= training.steps(); step++) {
                RecallBatch batch = task.batch(step - 1, training.batchSize());
                long t0 = System.nanoTime();
                graph.fit(new MultiDataSet(batch.inputs(type), s.lossOn().targets(batch, type)));
                fitSeconds += (System.nanoTime() - t0) / 1e9;
                trainLoss = graph.score();
                if (!Double.isFinite(trainLoss)) {
                    throw new IllegalStateException(label + ": training loss is " + trainLoss + " at step " + step
                            + "; lower the learning rate (--set learning_rate=...) or check the model");
                }
                double tokPerS = step * tokensPerStep / fitSeconds;
                if (step % s.evalEvery() == 0 || step == training.steps()) {
                    Evaluation last = evaluate(graph, heldOut, step, type);
                    evaluations.add(last);
                    metrics.write(record(last, trainLoss, tokPerS, progress.elapsedSeconds()));
                    progress.print(step, trainLoss, last.score());
                } else {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("step", step);
                    m.put("train_loss", trainLoss);
                    m.put("tokens_per_s", tokPerS);
                    m.put("elapsed_s", progress.elapsedSeconds());
                    metrics.write(m);
                }
            }
        }
        return new Result(label, evaluations, trainLoss, training.steps() * tokensPerStep / fitSeconds, progress.elapsedSeconds());
    }

    /** Overall loss and answer score of {@code graph} on {@code batch}, without training. */
    public static Evaluation evaluate(ComputationGraph graph, RecallBatch batch, int step, DataType type) {
        INDArray logits = graph.outputSingle(false, batch.inputs(type));      // [B, T, V]
        return new Evaluation(step, AnswerScore.of(logits, batch));
    }

    private static Map<String, Object> record(Evaluation e, double trainLoss, double tokPerS, double elapsed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", e.step());
        if (Double.isFinite(trainLoss)) m.put("train_loss", trainLoss);
        m.put("eval_loss", e.score().loss());
        m.put("answer_loss", e.score().answerLoss());
        m.put("answer_accuracy", e.score().accuracy());
        if (tokPerS > 0) m.put("tokens_per_s", tokPerS);
        m.put("elapsed_s", elapsed);
        return m;
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) throw new IllegalArgumentException("--" + key + " = " + value + ": " + rule);
    }
}
