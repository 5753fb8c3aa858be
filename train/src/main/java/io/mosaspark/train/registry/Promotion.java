package io.mosaspark.train.registry;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether an evaluated candidate replaces the promoted model, and doing it. The rule: promote when the
 * candidate's validation loss is below the promoted model's by more than a relative margin,
 * {@code candidate < baseline × (1 − margin)}; the default margin, 1 %, keeps a scheduled retrain from
 * swapping models over differences that another seed or another slice of data would reverse.
 */
public final class Promotion {
    /** The relative margin {@code mosa retrain} and {@code mosa registry promote} use unless told. */
    public static final double DEFAULT_MARGIN = 0.01;

    private Promotion() {
    }

    /** The verdict and the comparison in words. */
    public record Verdict(boolean promote, String reason) {
    }

    public static Verdict judge(RegistryEntry.Evaluation e, double margin, boolean force) {
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("--margin = " + margin + ": must be in [0, 1) (a relative improvement, e.g. 0.01)");
        }
        String cand = String.format(Locale.ROOT, "candidate %.6f", e.candidateLoss());
        if (e.baseline() == null) return new Verdict(true, cand + "; no promoted model to beat");
        if (e.baselineLoss() == null) {
            return force ? new Verdict(true, cand + "; forced (--force); " + e.baselineNote())
                    : new Verdict(false, cand + "; no comparable baseline: " + e.baselineNote() + "; promote with --force");
        }
        double threshold = e.baselineLoss() * (1 - margin);
        boolean better = e.candidateLoss() < threshold;
        String comparison = String.format(Locale.ROOT, "%s %s %.6f = %s's %.6f × (1 − %s)", cand, better ? "<" : ">=",
                threshold, e.baseline(), e.baselineLoss(), margin);
        if (force) return new Verdict(true, comparison + "; forced (--force)");
        return new Verdict(better, comparison);
    }

    /**
     * Decides about {@code candidateRef} (an id or {@code latest}) from its recorded evaluation, records the
     * decision in its entry and, when it wins, points CURRENT at it.
     *
     * @throws IllegalArgumentException when it was not evaluated, or was evaluated against a model that is
     *                                  no longer the promoted one (evaluate again), or is already current
     */
    public static RegistryEntry decide(ModelRegistry registry, RegistryLock lock, String candidateRef, double margin,
                                       boolean force) throws IOException {
        RegistryEntry c = registry.entry(candidateRef == null ? "latest" : candidateRef);
        Optional<String> now = registry.current();
        if (now.isPresent() && now.get().equals(c.id())) {
            throw new IllegalArgumentException("registry " + registry.directory() + ": " + c.id() + " is already the promoted model");
        }
        RegistryEntry.Evaluation e = c.evaluation();
        if (e == null && !force) {
            throw new IllegalArgumentException("registry " + registry.directory() + ": " + c.id() + " has not been evaluated:"
                    + " run mosa registry evaluate --candidate " + c.id() + " first (or promote with --force)");
        }
        if (e != null && !force && !Objects.equals(e.baseline(), now.orElse(null))) {
            throw new IllegalArgumentException("registry " + registry.directory() + ": " + c.id() + " was evaluated against "
                    + (e.baseline() == null ? "no promoted model" : e.baseline()) + " but the promoted model is now "
                    + now.orElse("none") + ": run mosa registry evaluate --candidate " + c.id() + " again");
        }
        Verdict v = e == null ? new Verdict(true, "not evaluated; forced (--force)") : judge(e, margin, force);
        RegistryEntry decided = c.withDecision(new RegistryEntry.Decision(v.promote(), margin, force, v.reason(),
                Instant.now().toString()));
        if (v.promote()) {
            // CURRENT first: it is the truth readers go by; the entry's decision is its explanation
            registry.setCurrent(lock, c.id(), ModelRegistry.event(lock, RegistryEvent.PROMOTED, c.id(), now.orElse(null),
                    v.reason()));
            registry.update(lock, decided, null);
        } else {
            registry.update(lock, decided, ModelRegistry.event(lock, RegistryEvent.KEPT, c.id(), null,
                    v.reason() + "; " + now.orElse("none") + " stays promoted"));
        }
        return decided;
    }
}
