/**
 * One hybrid MoSA attention layer (docs/model.md): Hd dense causal heads plus Hm sparse heads that
 * each choose k of the T tokens (expert choice) or take every ρ-th (fixed-stride baseline).
 *
 * <ul>
 *   <li>{@link io.mosaspark.model.attention.HybridAttention}: forward and backward in pure ND4J, every
 *       head and sequence in one batched product; parameters and gradients in the canonical (PyTorch)
 *       shapes of {@link io.mosaspark.model.attention.AttentionParams}.</li>
 *   <li>{@link io.mosaspark.model.attention.HybridAttentionLayer} /
 *       {@link io.mosaspark.model.attention.HybridAttentionLayerImpl}: the same inside a DL4J
 *       {@code ComputationGraph}, on the {@code io.mosaspark.model.nn} base.</li>
 *   <li>{@link io.mosaspark.model.attention.AttentionParity}: checks the layer against a parity file.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * Sparse heads never build anything T×T: the router is O(T·h·Hm), selection O(T) per (head,
 * sequence), gather and scatter-add O(Hm·k·h), attention O(Hm·k²·h′). Dense heads are batched as
 * [B·Hd, T, T]; the DL4J layer keeps that tensor's buffer across steps
 * ({@link io.mosaspark.model.attention.ScratchBuffers}). Closing a
 * {@link io.mosaspark.model.attention.HybridAttention.Cache} frees its O(T²) memory at once.
 *
 * <h2>ND4J 1.0.0-M2.1 defects worked around here (each pinned by a test or a comment)</h2>
 * <ul>
 *   <li>{@code top_k} returns a wrong set with tied values and, sorted, repeated indices; its Java
 *       wrapper {@code TopK(INDArray, double, boolean)} also passes k as 0. Selection is done in Java
 *       ({@link io.mosaspark.model.attention.TokenSelection}).</li>
 *   <li>{@code Nd4j.triu} on a DOUBLE array crashes the JVM (libnd4j {@code fillAsTriangular}); the
 *       causal mask is built from index arithmetic.</li>
 *   <li>{@code scatter_add} races on repeated indices unless its lock flag is set; it is set.</li>
 *   <li>SameDiff is not used at all (its defects: docs/dl4j.md).</li>
 * </ul>
 */
package io.mosaspark.model.attention;
