package io.mosaspark.train.routing;

/** |A ∩ B| / |A ∪ B| of two position sets, each k distinct positions in ascending order. */
final class Jaccard {

    private Jaccard() {
    }

    /** Sets a[from, from + k) and b[other, other + k). */
    static double ofSorted(int[] a, int from, int[] b, int other, int k) {
        int i = 0, j = 0, both = 0;
        while (i < k && j < k) {
            int x = a[from + i], y = b[other + j];
            if (x == y) {
                both++;
                i++;
                j++;
            } else if (x < y) {
                i++;
            } else {
                j++;
            }
        }
        return (double) both / (2 * k - both);
    }
}
