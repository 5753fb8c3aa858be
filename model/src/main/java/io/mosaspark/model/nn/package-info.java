/**
 * A small base for DL4J layers whose forward and backward are written by hand in ND4J, used instead of
 * DL4J's SameDiff layers (which in 1.0.0-M2.1 double upstream gradients and break topK/gather).
 *
 * <h2>Writing a layer</h2>
 * Two classes, like DL4J's own layers: a configuration (serialised into the network's JSON and zip)
 * and an implementation (one per network instance, holds the forward cache).
 * <pre>{@code
 * public final class Mlp extends ExplicitLayerConf {
 *     @JsonProperty private int dModel;          // org.nd4j.shade.jackson.annotation.JsonProperty:
 *     @JsonProperty private int dFf;             // DL4J's Jackson sees fields only through it (or getters)
 *
 *     public Mlp() { }                           // Jackson needs it
 *     public Mlp(int dModel, int dFf) { ... validate, message names the key and legal range ... }
 *
 *     public List<ParamSpec> paramSpecs() {      // flattening order; canonical (PyTorch [out, in]) shapes
 *         return List.of(ParamSpec.weight("fc1.weight", new ParamSpec.Normal(0.02), dFf, dModel),
 *                        ParamSpec.weight("fc2.weight", new ParamSpec.Normal(0.02), dModel, dFf));
 *     }
 *     protected ExplicitLayer<?> createLayer(NeuralNetConfiguration c, DataType t) { return new Impl(c, t); }
 *     public InputType getOutputType(int i, InputType in) { requireFeatureSize(in, dModel); return in; }
 *
 *     static final class Impl extends ExplicitLayer<Mlp> {
 *         private INDArray x, h;                 // forward cache, [B·T, h] and [B·T, d_ff]
 *         Impl(NeuralNetConfiguration c, DataType t) { super(c, t); }
 *         protected INDArray forward(INDArray input, Map<String, INDArray> p, boolean training) { ... }
 *         protected Backward backward(INDArray epsilon, Map<String, INDArray> p) {
 *             ... return new Backward(dInput, Map.of("fc1.weight", dW1, "fc2.weight", dW2));
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Parameter names match {@code [A-Za-z][A-Za-z0-9.]*}: no '_' (DL4J splits "layer_param" keys
 *       at the last '_'). The graph key of a parameter is {@code <vertexName>_<paramName>}.</li>
 *   <li>{@code params} handed to forward/backward are views of the network's flattened vector in
 *       canonical shape, row-major; do not write to them. Dtype = the network's (float32 or float64).</li>
 *   <li>Activations are [B, T, h] ({@code InputType.recurrent(h, T, RNNFormat.NWC)}); the input is
 *       cast to the network's floating type, integer-valued inputs (token ids) are passed as they are.</li>
 *   <li>{@code backward} must return a gradient for every declared parameter, of its canonical shape
 *       (the base checks and copies it into the network's gradient vector), and dL/dInput.</li>
 *   <li>Memory: forward runs in the layer's own workspace ({@link io.mosaspark.model.nn.StepMemory}),
 *       reused every step: create and cache arrays freely, they stay valid until the end of that
 *       step's backward (or the next forward); backward runs in memory shared by all layers, valid
 *       until it returns. The base copies the returned arrays out (into DL4J's workspaces when the
 *       graph uses them) and the parameter gradients into the gradient views. Arrays that must outlive
 *       the step (e.g. for listeners) are copied out with {@code detach()}; buffers kept across steps
 *       are allocated with workspaces scoped out. A layer whose forward temporaries are large may run
 *       forward in the shared memory too ({@code forwardInTransientMemory()}) and wrap what it caches
 *       in {@code keep(...)}. Nothing needs closing; {@code releaseForwardCache()} (called after every
 *       backward and by {@code clear()}) drops references. Both {@code WorkspaceMode.ENABLED} and
 *       {@code NONE} are tested to train identically. Write a gradient straight into
 *       {@code gradientView(name)} (e.g. with {@link io.mosaspark.model.nn.Gemm#into}) and return that
 *       view to skip a copy.</li>
 *   <li>Gradients are d(score)/d(·) of whatever the output layer's score is; the output layer
 *       ({@link io.mosaspark.model.nn.ExplicitOutputLayer}) follows DL4J's miniBatch convention, so
 *       hidden layers need not know about it.</li>
 *   <li>{@link io.mosaspark.model.nn.ParamSpec#weight} parameters get the graph's weight decay;
 *       {@link io.mosaspark.model.nn.ParamSpec#gainOrBias} ones do not (DL4J's weight/bias split).</li>
 *   <li>DL4J dropout and weight noise are refused at network creation (the base does not apply them).</li>
 *   <li>Avoid public {@code getX()}/{@code isX()} methods on a configuration that are not properties:
 *       Jackson would serialise them (mark with the shaded {@code @JsonIgnore}).</li>
 * </ul>
 * Check every new layer with {@code GradientCheckUtil} in double precision (see the tests of this
 * package for a graph with a test-only {@code AffineLayer} and {@code MseLoss}).
 */
package io.mosaspark.model.nn;
