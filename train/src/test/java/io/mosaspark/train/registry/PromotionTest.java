package io.mosaspark.train.registry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The promotion rule: candidate < baseline × (1 − margin), both ways, and its edge cases. */
class PromotionTest {
    private static RegistryEntry.Evaluation eval(double candidate, Double baseline, String note) {
        return new RegistryEntry.Evaluation("d", "val", 8, 256, candidate, baseline == null && note == null ? null : "v0001",
                baseline, note, "t");
    }

    @Test
    void promotesOnlyWhenBetterByTheMargin() {
        assertTrue(Promotion.judge(eval(4.90, 5.00, null), 0.01, false).promote(), "2 % better than 1 % margin");
        Promotion.Verdict v = Promotion.judge(eval(4.96, 5.00, null), 0.01, false);
        assertFalse(v.promote(), "0.8 % better is within the 1 % margin");
        assertTrue(v.reason().contains("4.960000 >= 4.950000") && v.reason().contains("v0001's 5.000000"), v.reason());
        assertFalse(Promotion.judge(eval(5.00, 5.00, null), 0.0, false).promote(), "equal is not better");
        assertTrue(Promotion.judge(eval(4.999, 5.00, null), 0.0, false).promote());
        assertFalse(Promotion.judge(eval(5.2, 5.00, null), 0.0, false).promote(), "worse");
        assertTrue(Promotion.judge(eval(5.2, 5.00, null), 0.0, true).promote(), "--force");
    }

    @Test
    void noBaselinePromotesButAnIncomparableOneNeedsForce() {
        assertTrue(Promotion.judge(eval(5.5, null, null), 0.01, false).promote(), "nothing promoted yet");
        assertFalse(Promotion.judge(eval(3.0, null, "another tokenizer"), 0.01, false).promote());
        assertTrue(Promotion.judge(eval(3.0, null, "another tokenizer"), 0.01, true).promote());
        assertThrows(IllegalArgumentException.class, () -> Promotion.judge(eval(1, 2.0, null), 1.0, false));
        assertThrows(IllegalArgumentException.class, () -> Promotion.judge(eval(1, 2.0, null), -0.1, false));
    }
}
