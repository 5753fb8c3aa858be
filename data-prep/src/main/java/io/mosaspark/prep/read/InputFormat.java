package io.mosaspark.prep.read;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How documents are laid out in the input files (the {@code --format} option). */
public enum InputFormat {
    /** One document per file. */
    TEXT("text"),
    /** Documents separated by one or more blank (or whitespace-only) lines. */
    TEXT_PARAGRAPHS("text-paragraphs"),
    /** One document per line. */
    TEXT_LINES("text-lines"),
    /** JSON Lines: one JSON object per line, the document in a string field. */
    JSONL("jsonl"),
    /** Parquet files with a string (BINARY) text column. */
    PARQUET("parquet");

    private final String cliName;

    InputFormat(String cliName) {
        this.cliName = cliName;
    }

    @JsonValue
    public String cliName() {
        return cliName;
    }

    public static InputFormat parse(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (InputFormat f : values()) {
            if (f.cliName.equals(wanted)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--format must be one of "
                + Arrays.stream(values()).map(InputFormat::cliName).collect(Collectors.joining("|"))
                + ", got '" + value + "'");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
