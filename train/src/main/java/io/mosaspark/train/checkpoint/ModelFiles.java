package io.mosaspark.train.checkpoint;

import io.mosaspark.model.checkpoint.LmSafeTensors;
import io.mosaspark.model.checkpoint.LmZip;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.model.lm.MosaLanguageModel;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.state.AtomicHadoopFiles;
import io.mosaspark.train.state.FlatVector;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Flat parameter vectors ↔ the model's files (safetensors under the canonical tensor names, which a
 * PyTorch user loads, and DL4J's zip), through one network the driver builds once and whose parameter
 * view it overwrites: the flat layout is DL4J's, the files' is the canonical one.
 */
public final class ModelFiles {
    private final TrainConfig config;
    private ComputationGraph graph;

    public ModelFiles(TrainConfig config) {
        this.config = config;
    }

    /** A network holding {@code params}: for final outputs and driver-side evaluation. */
    public ComputationGraph network(FlatVector params) {
        if (graph == null) graph = MosaLanguageModel.build(config.model(), config.training(), config.dataType());
        params.assignTo(graph.params());
        return graph;
    }

    /** Elements of the optimizer's state (DL4J's updater view; 0 for stateless SGD). */
    public int optimizerStateLength() {
        if (graph == null) graph = MosaLanguageModel.build(config.model(), config.training(), config.dataType());
        var view = graph.getUpdater().getStateViewArray();
        return view == null ? 0 : Math.toIntExact(view.length());
    }

    /** The initial parameters: drawn from the training seed, as a single-JVM run would draw them. */
    public FlatVector initialParams() {
        return FlatVector.copyOf(MosaLanguageModel.build(config.model(), config.training(), config.dataType()).params());
    }

    public void writeSafeTensors(FileSystem fs, Path file, FlatVector params, Provenance provenance)
            throws IOException {
        ComputationGraph g = network(params);
        AtomicHadoopFiles.writeViaLocal(fs, file, local -> LmSafeTensors.write(local, g, config.model(), provenance));
    }

    public void writeZip(FileSystem fs, Path file, FlatVector params, Provenance provenance) throws IOException {
        ComputationGraph g = network(params);
        AtomicHadoopFiles.writeViaLocal(fs, file, local -> LmZip.write(local, g, config.model(), provenance));
    }

    /** Reads a safetensors file written by {@link #writeSafeTensors} (or any with the same tensors). */
    public FlatVector readSafeTensors(FileSystem fs, Path file) throws IOException {
        if (graph == null) graph = MosaLanguageModel.build(config.model(), config.training(), config.dataType());
        java.nio.file.Path local = AtomicHadoopFiles.download(fs, file);
        try {
            LmSafeTensors.load(local, graph);
            return FlatVector.copyOf(graph.params());
        } finally {
            Files.deleteIfExists(local);
        }
    }
}
