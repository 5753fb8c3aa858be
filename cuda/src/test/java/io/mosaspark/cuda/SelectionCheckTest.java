package io.mosaspark.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The definition the GPU's selection is held to, on cases worked by hand. */
class SelectionCheckTest {

    @Test
    void keepsTheLargestLogitsWithTiesToTheLowerPositionInAscendingOrder() {
        // one sequence, one head: logits at positions 0…5
        double[] logits = {0.5, 2.0, 0.5, 2.0, -1.0, 0.5};
        assertArrayEquals(new int[]{1, 3}, SelectionCheck.expected(logits, 0, 0, new SelectionCheck.Case(1, 6, 1, 2, false)));
        // three kept: the two 2.0s, then the first of the three tied 0.5s
        assertArrayEquals(new int[]{0, 1, 3}, SelectionCheck.expected(logits, 0, 0, new SelectionCheck.Case(1, 6, 1, 3, false)));
        // position 0 always kept, then the best two of 1…5
        assertArrayEquals(new int[]{0, 1, 3}, SelectionCheck.expected(logits, 0, 0, new SelectionCheck.Case(1, 6, 1, 3, true)));
        // position 0 kept, and it does not take part in the ranking of the rest: the tied 0.5 at 2 is next
        assertArrayEquals(new int[]{0, 1, 2, 3}, SelectionCheck.expected(logits, 0, 0, new SelectionCheck.Case(1, 6, 1, 4, true)));
    }

    @Test
    void readsItsOwnHeadAndSequenceOutOfTheRouterRows() {
        // [B = 2, T = 3, Hm = 2]: head 1 of sequence 1 has logits 9, 1, 5 at positions 0, 1, 2
        double[] logits = {0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 0, 5};
        assertArrayEquals(new int[]{0, 2}, SelectionCheck.expected(logits, 1, 1, new SelectionCheck.Case(2, 3, 2, 2, false)));
    }
}
