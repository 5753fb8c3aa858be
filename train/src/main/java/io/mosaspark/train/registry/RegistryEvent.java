package io.mosaspark.train.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of {@code history.jsonl}: something that happened to the registry, in order.
 *
 * @param time     when (ISO-8601)
 * @param event    {@code registered}, {@code evaluated}, {@code promoted}, {@code kept} (evaluated and not
 *                 promoted), {@code rolled_back}, {@code cleaned} (a crashed run's leftovers removed)
 * @param id       the model it is about (for {@code rolled_back}: the one CURRENT now names)
 * @param previous what CURRENT named before, for {@code promoted} and {@code rolled_back}; else null
 * @param detail   in words: the losses and margin, the start, what was removed
 * @param by       the lock holder that did it (host, pid, purpose)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryEvent(@JsonProperty("time") String time,
                            @JsonProperty("event") String event,
                            @JsonProperty("id") String id,
                            @JsonProperty("previous") String previous,
                            @JsonProperty("detail") String detail,
                            @JsonProperty("by") String by) {
    public static final String REGISTERED = "registered";
    public static final String EVALUATED = "evaluated";
    public static final String PROMOTED = "promoted";
    public static final String KEPT = "kept";
    public static final String ROLLED_BACK = "rolled_back";
    public static final String CLEANED = "cleaned";

    /** Whether this event changed CURRENT (to {@link #id}). */
    public boolean movedCurrent() {
        return PROMOTED.equals(event) || ROLLED_BACK.equals(event);
    }
}
