package io.mosaspark.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record ExampleConfig(String preset, int steps) {
    }

    @Test
    void aCheckpointCarriesItsShardSetsProvenanceThroughJson() throws Exception {
        Provenance shards = Provenance.of("shard-set", Map.of("tokenizer", "r50k_base"),
                List.of(new Provenance.Input("file:/raw/a.jsonl", 12, "ab12")), List.of());
        Provenance checkpoint = Provenance.of("checkpoint", new ExampleConfig("tiny", 10), List.of(), List.of(shards));

        String json = JSON.writeValueAsString(checkpoint);
        Provenance back = JSON.readValue(json, Provenance.class);

        assertEquals(checkpoint, back);
        assertEquals("tiny", back.config().get("preset").asText());
        assertEquals(10, back.config().get("steps").asInt());
        assertEquals("r50k_base", back.find("shard-set").orElseThrow().config().get("tokenizer").asText());
        assertEquals(12, back.find("shard-set").orElseThrow().inputs().get(0).bytes());
        assertTrue(back.find("export").isEmpty());
        assertTrue(json.contains("\"code_version\":\"mosa-spark "), json);
    }

    @Test
    void emptyListsAreLeftOutOfTheJson() throws Exception {
        String json = JSON.writeValueAsString(Provenance.of("bench", Map.of(), List.of(), List.of()));
        assertFalse(json.contains("parents"), json);
        assertFalse(json.contains("inputs"), json);
        assertEquals(List.of(), JSON.readValue(json, Provenance.class).parents());
    }
}
