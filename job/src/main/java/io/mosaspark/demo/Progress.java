package io.mosaspark.demo;

import java.io.PrintWriter;
import java.util.Locale;

/** The progress line of a training run: step, loss, tokens/s and the time left at the current rate. */
final class Progress {

    private final PrintWriter out;
    private final String label;
    private final int steps;
    private final long tokensPerStep;
    private final long startNanos = System.nanoTime();

    Progress(PrintWriter out, String label, int steps, long tokensPerStep) {
        this.out = out;
        this.label = label;
        this.steps = steps;
        this.tokensPerStep = tokensPerStep;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Training tokens per second over the steps done so far. */
    double tokensPerSecond(int stepsDone) {
        double s = elapsedSeconds();
        return s > 0 ? stepsDone * tokensPerStep / s : 0;
    }

    void print(int stepsDone, double loss, AnswerScore answers) {
        double s = elapsedSeconds();
        double eta = stepsDone > 0 ? s / stepsDone * (steps - stepsDone) : 0;
        String recall = answers == null ? "" : String.format(Locale.ROOT, "  answer loss %.3f acc %.2f",
                answers.answerLoss(), answers.accuracy());
        out.printf(Locale.ROOT, "%-6s step %5d/%d  loss %.4f%s  %.0f tok/s  ETA %s%n", label, stepsDone, steps, loss,
                recall, tokensPerSecond(stepsDone), clock(eta));
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
