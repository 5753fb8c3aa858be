package io.mosaspark.prep.read;

/** Why a record was not turned into a document; the codes appear in _rejected/ and the manifest. */
public enum RejectReason {
    MALFORMED_JSON("malformed_json"),
    NOT_A_JSON_OBJECT("not_a_json_object"),
    MISSING_FIELD("missing_field"),
    WRONG_FIELD_TYPE("wrong_field_type"),
    /** Nested deeper than {@link JsonTextField#MAX_DEPTH} levels. */
    JSON_TOO_DEEP("json_too_deep"),
    UNREADABLE_FILE("unreadable_file"),
    /** Longer than {@link RecordSizeLimit}: rejected before it is held in memory. */
    RECORD_TOO_LARGE("record_too_large"),
    TOO_SHORT("too_short");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
