package io.mosaspark.model.preset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.flops.ModelFlops;
import io.mosaspark.model.flops.ParameterCount;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code figures} each preset file states (parameters and forward FLOPs of the dense baseline and of
 * each MoSA hybrid at the paper's ρ values) are what the model's own calculators give; a file that drifts
 * from its model fails here with the figures it should state.
 */
class PresetFiguresTest {

    private static final Path CONF_PRESETS = Path.of("..", "conf", "presets");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The sparsities each preset lists: the paper's IsoFLOP sweeps (Medium shares Small's head shape), and cpu-demo's demo ρ. */
    static final Map<String, List<Integer>> RHOS = Map.of(
            "tiny", List.of(2, 4, 8, 16, 32, 64, 128, 256),
            "small", List.of(2, 4, 8, 16, 32, 64),
            "medium", List.of(2, 4, 8, 16, 32, 64),
            "large", List.of(2, 4),
            "cpu-demo", List.of(8));

    @Test
    void everyPresetStatesTheFiguresTheCalculatorsGive() throws IOException {
        assertEquals(Presets.NAMES.stream().sorted().toList(), RHOS.keySet().stream().sorted().toList());
        List<String> wrong = new ArrayList<>();
        for (String name : Presets.NAMES) {
            JsonNode file = JSON.readTree(CONF_PRESETS.resolve(name + ".json").toFile());
            // read back from its text, so that numbers compare as the file's do (Jackson's IntNode is not a LongNode)
            JsonNode expected = JSON.readTree(JSON.writeValueAsString(figures(Presets.load(name), RHOS.get(name))));
            JsonNode stated = file.path("figures");
            if (!expected.equals(stated)) {
                wrong.add(name + ".json \"figures\" should be:\n" + JSON.writeValueAsString(expected));
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The figures the calculators give for preset {@code p}: its counting note, dense, each hybrid, the perplexity-matched one. */
    static ObjectNode figures(Preset p, List<Integer> rhos) {
        ObjectNode f = JSON.createObjectNode();
        f.put("counted", "parameters: every weight, embeddings and LM head included (model.flops.ParameterCount); "
                + "forward_flops_per_sequence: one forward pass over seq_len tokens as the paper counts it, attention "
                + "and MLP, norms, embedding and LM head left out (model.flops.ModelFlops); checked by PresetFiguresTest");
        f.set("dense", row(p.dense(), null));
        ArrayNode mosa = f.putArray("mosa");
        for (int rho : rhos) mosa.add(row(p.mosa(rho), rho));
        if (p.perplexityMatchedHeads() != null) {
            f.set("perplexity_matched", row(p.perplexityMatched(), p.perplexityMatchedHeads().sparsity()));
        }
        return f;
    }

    private static ObjectNode row(ModelConfig c, Integer rho) {
        ObjectNode r = JSON.createObjectNode();
        if (rho != null) r.put("rho", rho);
        r.put("dense_heads", c.attention().denseHeads());
        r.put("mosa_heads", c.attention().mosaHeads());
        r.put("parameters", ParameterCount.of(c).total());
        r.put("forward_flops_per_sequence", ModelFlops.forward(c));
        return r;
    }

    /** The check can fail: a figure one off is a difference, and the preset itself still loads with figures in it. */
    @Test
    void aWrongFigureIsADifferenceAndFiguresAreNotConfig() throws IOException {
        Preset tiny = Presets.load("tiny");
        ObjectNode right = figures(tiny, RHOS.get("tiny"));
        ObjectNode off = right.deepCopy();
        ((ObjectNode) off.get("dense")).put("parameters", ParameterCount.of(tiny.dense()).total() + 1);
        assertFalse(right.equals(off));
        assertEquals(54_760_833_024L, right.get("dense").get("forward_flops_per_sequence").asLong(), "the paper's 54.76 GFLOPs");
        assertTrue(right.get("mosa").get(0).get("forward_flops_per_sequence").asLong() <= 54_760_833_024L, "IsoFLOP: at most dense");
        // --set cannot change a stated figure: figures describe the file, they are not part of the model
        assertThrows(IllegalArgumentException.class, () -> Presets.load("tiny", List.of("figures.dense.parameters=1")));
    }
}
