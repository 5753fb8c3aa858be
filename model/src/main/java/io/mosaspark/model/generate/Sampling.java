package io.mosaspark.model.generate;

/**
 * How the next token is drawn from the logits at the last position: temperature 0 takes the most
 * likely token (greedy, the lowest id on a tie); otherwise softmax(logits / temperature), cut to the
 * {@code topK} most likely tokens (0: no cut), then to the smallest most-likely set whose probability
 * reaches {@code topP} (1: no cut), renormalised and sampled with a generator seeded by {@code seed}.
 * The same seed and prompt give the same tokens.
 */
public record Sampling(double temperature, int topK, double topP, long seed) {

    public Sampling {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature = " + temperature + ": must be a finite number >= 0 (0 = greedy)");
        }
        if (topK < 0) throw new IllegalArgumentException("--top-k = " + topK + ": must be >= 0 (0 = no top-k cut)");
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("--top-p = " + topP + ": must be in (0, 1] (1 = no nucleus cut)");
        }
    }

    public static Sampling greedy() {
        return new Sampling(0, 0, 1, 0);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
