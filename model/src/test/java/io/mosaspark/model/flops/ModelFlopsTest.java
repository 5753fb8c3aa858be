package io.mosaspark.model.flops;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.Preset;
import io.mosaspark.model.config.Presets;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The numbers of the MoSA paper (App. A and the presets table), reproduced exactly. */
class ModelFlopsTest {

    private static final Preset TINY = Presets.load("tiny");
    private static final Preset SMALL = Presets.load("small");
    private static final Preset MEDIUM = Presets.load("medium");
    private static final Preset LARGE = Presets.load("large");

    @Test
    void headCostsByHand() {
        // Tiny: 8·512·64·1024 + 4·64·1024² = 268435456 + 268435456
        assertEquals(536_870_912L, HeadFlops.dense(512, 64, 1024));
        // ρ=2, k=512: 8·512·64·512 + 4·64·512² + 2·512·1024 + 64·512
        assertEquals(134_217_728L + 67_108_864L + 1_048_576L + 32_768L, HeadFlops.mosa(512, 64, 1024, 512));
        assertEquals(134_217_728L + 67_108_864L, HeadFlops.fixedStride(512, 64, 512));
    }

    @Test
    void isoFlopHeadCountsOfThePaper() {
        assertEquals(List.of(13, 31, 69, 142, 276, 505, 848, 1277), mosaHeads(TINY, 2, 4, 8, 16, 32, 64, 128, 256));
        assertEquals(List.of(11, 26, 54, 109, 210, 381), mosaHeads(SMALL, 2, 4, 8, 16, 32, 64));
        assertEquals(List.of(27, 60), mosaHeads(LARGE, 2, 4));
    }

    private static List<Integer> mosaHeads(Preset p, int... rhos) {
        return IntStream.of(rhos).mapToObj(r -> p.mosa(r).attention().mosaHeads()).toList();
    }

    @Test
    void forwardFlopsOfThePaperTable() {
        assertEquals(54_760_833_024L, ModelFlops.forward(TINY.dense()));
        assertEquals(219_848_638_464L, ModelFlops.forward(SMALL.dense()));
        assertEquals(439_697_276_928L, ModelFlops.forward(MEDIUM.dense()));
        assertEquals(1_130_650_140_672L, ModelFlops.forward(LARGE.dense()));
        // and as the paper prints them
        assertEquals("54.76", gflops(TINY.dense()));
        assertEquals("219.85", gflops(SMALL.dense()));
        assertEquals("439.70", gflops(MEDIUM.dense()));
        assertEquals("1130.65", gflops(LARGE.dense()));
    }

    private static String gflops(ModelConfig c) {
        return String.format(java.util.Locale.ROOT, "%.2f", ModelFlops.forward(c) / 1e9);
    }

    @Test
    void parameterCountsOfThePaperTable() {
        assertEquals(27_866_112L, ParameterCount.of(TINY.dense()).total());
        assertEquals(113_154_048L, ParameterCount.of(SMALL.dense()).total());
        assertEquals(209_922_048L, ParameterCount.of(MEDIUM.dense()).total());
        assertEquals(516_072_960L, ParameterCount.of(LARGE.dense()).total());
        assertEquals(List.of(28L, 113L, 210L, 516L), List.of(TINY, SMALL, MEDIUM, LARGE).stream()
                .map(p -> ParameterCount.of(p.dense()).millions()).toList());
    }

    @Test
    void parameterCountByPart() {
        ParameterCount tiny = ParameterCount.of(TINY.dense());
        assertEquals(8000L * 512, tiny.embedding());
        assertEquals(tiny.embedding(), tiny.lmHead());
        assertEquals(6L * 4 * 512 * 64 * 9, tiny.attention());
        assertEquals(6L * 2 * 512 * 2048, tiny.mlp());
        assertEquals((6L * 2 + 1) * 2 * 512, tiny.layerNorms());
        assertEquals(tiny.total() - 2 * tiny.embedding(), tiny.nonEmbedding());
        // a MoSA head: router row [h] + W_qkv [h, 3h′] + W_o [h′, h]; fixed-stride heads have no router
        AttentionConfig oneMosa = AttentionConfig.hybrid(512, 64, 0, 1, 8);
        assertEquals(512 + 512 * 64 * 4, ParameterCount.attentionLayer(oneMosa));
        assertEquals(512 * 64 * 4, ParameterCount.attentionLayer(oneMosa.withSelection(AttentionConfig.Selection.FIXED_STRIDE)));
    }

    @Test
    void isoFlopHybridSpendsAtMostTheDenseBudgetAndLessThanOneHeadBelowIt() {
        for (Preset p : List.of(TINY, SMALL, LARGE, Presets.load("cpu-demo"))) {
            for (int rho : new int[]{2, 8, 32}) {
                for (ModelConfig hybrid : List.of(p.mosa(rho), p.fixed(rho))) {
                    long t = hybrid.seqLen();
                    long slack = ModelFlops.attentionLayer(p.dense().attention(), t) - ModelFlops.attentionLayer(hybrid.attention(), t);
                    assertTrue(slack >= 0 && slack < ModelFlops.sparseHead(hybrid.attention(), t),
                            p.name() + " ρ=" + rho + " " + hybrid.attention().selection() + ": slack " + slack);
                    assertEquals(4, hybrid.attention().denseHeads());
                    assertEquals(rho, hybrid.attention().sparsity());
                }
                assertTrue(p.fixed(rho).attention().mosaHeads() >= p.mosa(rho).attention().mosaHeads());
                assertEquals(AttentionConfig.Selection.FIXED_STRIDE, p.fixed(rho).attention().selection());
            }
        }
    }

    @Test
    void mlpFollowsDffWhenItIsNotFourH() {
        ModelConfig c = new ModelConfig(100, 2, 300, 64, 1e-5, AttentionConfig.dense(50, 10, 5));
        long attention = 5 * HeadFlops.dense(50, 10, 64);
        assertEquals(2 * (attention + 4L * 50 * 300 * 64), ModelFlops.forward(c));
    }

    @Test
    void kvEntriesOfThePerplexityMatchedTinyAreAboutHalf() {
        assertEquals(1024L * 9, ModelFlops.kvEntriesPerLayer(TINY.dense()));
        assertEquals(1024L * 4 + 32 * 17, ModelFlops.kvEntriesPerLayer(TINY.perplexityMatched()));
        double saved = 1 - (double) ModelFlops.kvEntriesPerLayer(TINY.perplexityMatched()) / ModelFlops.kvEntriesPerLayer(TINY.dense());
        assertTrue(saved > 0.45 && saved < 0.55, "saved " + saved);
    }

    @Test
    void refusesWhatTheRuleCannotPrice() {
        ModelConfig fourHeads = TINY.dense().withAttention(AttentionConfig.dense(512, 64, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> ModelFlops.isoFlopSparseHeads(fourHeads, 8,
                AttentionConfig.Selection.EXPERT_CHOICE));
        assertTrue(e.getMessage().contains("dense_heads = 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelFlops.isoFlopSparseHeads(TINY.mosa(8), 8,
                AttentionConfig.Selection.EXPERT_CHOICE));
        assertTrue(e.getMessage().contains("dense baseline"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TINY.mosa(0));
        assertTrue(e.getMessage().contains("sparsity = 0: must be >= 1"), e.getMessage());
    }

    @Test
    void aSparsityAboveTIsPricedWithTwoTokensPerHead() {
        // k = clamp(⌊1024 / 2048⌋, 2, 1024) = 2
        long mosaHead = HeadFlops.mosa(512, 64, 1024, 2);
        assertEquals(8L * 512 * 64 * 2 + 4L * 64 * 4 + 2L * 512 * 1024 + 64 * 2, mosaHead);
        assertEquals(5 * HeadFlops.dense(512, 64, 1024) / mosaHead, TINY.mosa(2048).attention().mosaHeads());
    }
}
