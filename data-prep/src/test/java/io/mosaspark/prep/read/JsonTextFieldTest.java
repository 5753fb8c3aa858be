package io.mosaspark.prep.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One jsonl record's text field: what Jackson's tree would give, without its limits or its copies. */
class JsonTextFieldTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private final JsonTextField field = new JsonTextField("text", RecordSizeLimit.defaults());

    private JsonTextField.Outcome read(String line) {
        return field.read(line);
    }

    @Test
    void textWithEveryEscapeEqualsWhatJacksonDecodes() throws Exception {
        Random random = new Random(5);
        String[] pieces = {"plain ", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\u20AC",
                "\\ud83d\\ude00", "\\ud800", "é", "😀"};
        // lengths around Jackson's 4000-char read buffer and its 32 K-char switch to a Reader
        for (int length : new int[] {0, 1, 3999, 4001, 40_000, 200_000}) {
            StringBuilder literal = new StringBuilder();
            while (literal.length() < length) {
                literal.append(pieces[random.nextInt(pieces.length)]);
            }
            String line = "{\"before\": [1, {\"text\": \"nested\"}], \"text\": \"" + literal + "\", \"after\": \"\\\"\"}";
            String expected = JACKSON.readTree(line).get("text").textValue();
            assertEquals(expected, read(line).text(), "literal of " + literal.length() + " chars");
        }
    }

    @Test
    void theTopLevelFieldCountsAndItsLastOccurrenceWins() {
        assertEquals("outer", read("{\"meta\": {\"text\": \"inner\"}, \"text\": \"outer\"}").text());
        assertEquals("second", read("{\"text\": \"first\", \"text\": \"second\"}").text());
        JsonTextField.Outcome lastIsNumber = read("{\"text\": \"first\", \"text\": 7}");
        assertEquals(RejectReason.WRONG_FIELD_TYPE, lastIsNumber.reject());
        assertNull(lastIsNumber.text());
        assertEquals(RejectReason.MISSING_FIELD, read("{\"meta\": {\"text\": \"only nested\"}}").reject());
    }

    @Test
    void eachKindOfBadRecordKeepsTheReasonItHadBefore() {
        assertEquals("field 'text' is NULL, expected a string", read("{\"text\": null}").detail());
        assertEquals("field 'text' is OBJECT, expected a string", read("{\"text\": {}}").detail());
        assertEquals("expected a JSON object, got ARRAY", read("[1, 2]").detail());
        assertEquals(RejectReason.NOT_A_JSON_OBJECT, read("\"just a string\"").reject());
        assertEquals(RejectReason.MALFORMED_JSON, read("[1, 2").reject(), "malformed beats not-an-object");
        assertEquals(RejectReason.MALFORMED_JSON, read("{\"text\": \"a\"} trailing").reject());
        assertEquals(RejectReason.MALFORMED_JSON, read("{\"text\": \"a\"} {\"text\": \"b\"}").reject());
        assertEquals(RejectReason.MALFORMED_JSON, read("{\"text\": \"bad \\x escape\"}").reject());
        assertEquals(RejectReason.MALFORMED_JSON, read("{\"text\": \"raw \u0001 control\"}").reject());
    }

    @Test
    void numbersStringsAndNamesLongerThanJacksonDefaultsAreRead() {
        String digits = "9".repeat(50_000); // Jackson's default: 1000 digits
        assertEquals("x", read("{\"id\": " + digits + ", \"score\": 1." + digits + "e5, \"text\": \"x\"}").text());
        String other = "y".repeat(21_000_000); // Jackson's default: 20 M chars per string
        assertEquals("x", read("{\"html\": \"" + other + "\", \"text\": \"x\"}").text());
        assertEquals("x", read("{\"" + "k".repeat(100_000) + "\": 1, \"text\": \"x\"}").text());
    }

    @Test
    void nestingBeyondTheLimitIsRejectedAsTooDeepNotMalformed() {
        int levels = JsonTextField.MAX_DEPTH - 1; // inside the record's own object
        String deepest = "{\"a\": " + "[".repeat(levels) + "]".repeat(levels) + ", \"text\": \"x\"}";
        assertEquals("x", read(deepest).text());

        String tooDeep = "{\"a\": " + "[".repeat(levels + 1) + "]".repeat(levels + 1) + ", \"text\": \"x\"}";
        JsonTextField.Outcome r = read(tooDeep);
        assertEquals(RejectReason.JSON_TOO_DEEP, r.reject());
        assertTrue(r.detail().contains(String.valueOf(JsonTextField.MAX_DEPTH)), r.detail());

        // a long line of nesting is refused at the limit: read to its end it would be malformed (never closed)
        assertEquals(RejectReason.JSON_TOO_DEEP, read("[".repeat(20_000_000)).reject());
        assertEquals(RejectReason.JSON_TOO_DEEP, read("{\"text\": \"x\", \"a\": " + "{\"b\": ".repeat(2_000_000)).reject());
    }
}
