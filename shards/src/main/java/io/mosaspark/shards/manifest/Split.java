package io.mosaspark.shards.manifest;

/** The two splits a shard set has; the name appears in shard file names and the manifest. */
public enum Split {
    TRAIN("train"),
    VAL("val");

    private final String id;

    Split(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Split parse(String id) {
        for (Split s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("split must be train|val, got '" + id + "'");
    }
}
