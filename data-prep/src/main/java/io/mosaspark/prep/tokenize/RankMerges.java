package io.mosaspark.prep.tokenize;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The merges of a byte-level BPE recovered from its ranks alone (a tiktoken file has no merge list, a
 * Hugging Face {@code tokenizer.json} needs one). Encoding with ranks merges, at every step, the adjacent
 * pair whose concatenation has the lowest rank; so the token of rank r is built by running that
 * encoding on its own bytes with only ranks below r allowed, which must end in exactly two parts: its
 * merge. This is how Hugging Face converts tiktoken files too.
 */
final class RankMerges {

    private RankMerges() {
    }

    /** One merge per multi-byte token, in rank order; {@code source} names the ranks in errors. */
    static List<BpeMerge> derive(List<byte[]> tokens, String source) {
        Map<ByteBuffer, Integer> rankOf = new HashMap<>(tokens.size() * 2);
        for (int r = 0; r < tokens.size(); r++) rankOf.put(ByteBuffer.wrap(tokens.get(r)), r);
        List<BpeMerge> merges = new ArrayList<>();
        for (int r = 0; r < tokens.size(); r++) {
            byte[] token = tokens.get(r);
            if (token.length < 2) continue;
            List<byte[]> parts = encodeBelow(token, r, rankOf);
            if (parts.size() != 2) {
                throw new IllegalArgumentException(source + ": the token of rank " + r + " is not the merge of two "
                        + "lower-ranked tokens (" + parts.size() + " parts): not a byte-level BPE's ranks");
            }
            merges.add(new BpeMerge(rankOf.get(ByteBuffer.wrap(parts.get(0))), rankOf.get(ByteBuffer.wrap(parts.get(1))), r));
        }
        return merges;
    }

    /** Rank-based BPE of {@code token}'s bytes using only ranks below {@code limit}. */
    private static List<byte[]> encodeBelow(byte[] token, int limit, Map<ByteBuffer, Integer> rankOf) {
        List<byte[]> parts = new ArrayList<>(token.length);
        for (byte b : token) parts.add(new byte[] {b});
        while (parts.size() > 1) {
            int best = -1, bestRank = limit;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer rank = rankOf.get(ByteBuffer.wrap(concat(parts.get(i), parts.get(i + 1))));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) break;
            parts.set(best, concat(parts.get(best), parts.get(best + 1)));
            parts.remove(best + 1);
        }
        return parts;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
