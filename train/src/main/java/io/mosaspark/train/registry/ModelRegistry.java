package io.mosaspark.train.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A model registry: a directory on any Hadoop filesystem holding trained models, which one is promoted,
 * and what happened when.
 *
 * <pre>
 * REGISTRY/
 *   CURRENT          the promoted model's id (one line); replaced by an atomic rename
 *   history.jsonl    one {@link RegistryEvent} per line; replaced whole by an atomic rename
 *   LOCK             while a writer works ({@link RegistryLock})
 *   models/v0001/    a finished run directory of mosa train (model.safetensors, model.zip, config.json,
 *                    summary.json, tokenizer/, metrics.jsonl, …) and entry.json ({@link RegistryEntry})
 *   staging/RUN-ID/  a candidate being trained; moved to models/ when its run has finished
 * </pre>
 *
 * <p>Readers take no lock: every file a reader looks at is replaced whole, by rename, so it sees the old
 * or the new version. Writers hold the {@link RegistryLock}. A model directory counts once its
 * {@code entry.json} exists, which is written after the directory is moved into {@code models/}: a
 * crash at any point leaves either no trace in {@code models/} or a directory without an entry, which
 * no reader lists and the next writer removes ({@link #removeLeftovers}), with everything in
 * {@code staging/}.
 */
public final class ModelRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern ID = Pattern.compile("v(\\d{4,})");
    public static final String CURRENT = "CURRENT";
    public static final String HISTORY = "history.jsonl";
    public static final String MODELS = "models";
    public static final String STAGING = "staging";
    public static final String ENTRY = "entry.json";

    private final Path dir;
    private final FileSystem fs;
    private final Configuration hadoop;

    private ModelRegistry(Path dir, FileSystem fs, Configuration hadoop) {
        this.dir = dir;
        this.fs = fs;
        this.hadoop = hadoop;
    }

    /**
     * The registry at {@code uri} (any Hadoop URI). It need not exist yet: the first writer creates it.
     * On {@code file:} it works on the raw local filesystem: Hadoop's checksummed one renames a file and
     * then its {@code .crc}, between which a reader would see new bytes with an old checksum.
     */
    public static ModelRegistry open(String uri, Configuration hadoop) throws IOException {
        Path dir = new Path(uri);
        FileSystem fs = dir.getFileSystem(hadoop);
        if (fs instanceof LocalFileSystem local) fs = local.getRawFileSystem();
        Path qualified = fs.makeQualified(dir);
        if (fs.exists(qualified) && !fs.getFileStatus(qualified).isDirectory()) {
            throw new IllegalArgumentException("--registry " + uri + " is a file, not a registry directory");
        }
        return new ModelRegistry(qualified, fs, hadoop);
    }

    public Path directory() {
        return dir;
    }

    public FileSystem fileSystem() {
        return fs;
    }

    /** A model's run directory. */
    public Path modelDirectory(String id) {
        return new Path(new Path(dir, MODELS), id);
    }

    /** The promoted model's id, if any model was promoted. */
    public Optional<String> current() throws IOException {
        Optional<String> text = readIfExists(new Path(dir, CURRENT));
        return text.map(String::strip).filter(s -> !s.isEmpty());
    }

    /** Every registered model (complete entries only), in registration order. */
    public List<RegistryEntry> entries() throws IOException {
        List<RegistryEntry> out = new ArrayList<>();
        for (String id : modelIds()) {
            Optional<String> json = readIfExists(new Path(modelDirectory(id), ENTRY));
            if (json.isPresent()) out.add(parseEntry(json.get(), id));
        }
        return out;
    }

    /**
     * Resolves what a user typed: an id ({@code v0003}), {@code current} (the promoted model) or
     * {@code latest} (the newest registered).
     *
     * @throws IllegalArgumentException naming the registry and what it holds
     */
    public RegistryEntry entry(String ref) throws IOException {
        String r = ref == null ? "current" : ref.strip().toLowerCase(Locale.ROOT);
        String id;
        if (r.equals("current")) {
            id = current().orElseThrow(() -> new IllegalArgumentException("registry " + dir
                    + " has no promoted model (no " + CURRENT + "): run mosa retrain, or mosa registry promote"));
        } else if (r.equals("latest")) {
            List<RegistryEntry> all = entries();
            if (all.isEmpty()) throw new IllegalArgumentException("registry " + dir + " holds no model yet: run mosa retrain");
            return all.get(all.size() - 1);
        } else {
            id = r;
        }
        Optional<String> json = ID.matcher(id).matches() ? readIfExists(new Path(modelDirectory(id), ENTRY)) : Optional.empty();
        if (json.isEmpty()) {
            throw new IllegalArgumentException("registry " + dir + " has no model '" + ref + "': it holds "
                    + (modelIds().isEmpty() ? "none" : entries().stream().map(RegistryEntry::id).toList())
                    + " (or give current | latest)");
        }
        return parseEntry(json.get(), id);
    }

    /** Every event, oldest first. */
    public List<RegistryEvent> history() throws IOException {
        Optional<String> text = readIfExists(new Path(dir, HISTORY));
        List<RegistryEvent> out = new ArrayList<>();
        if (text.isEmpty()) return out;
        for (String line : text.get().split("\n")) {
            if (!line.isBlank()) out.add(JSON.readValue(line, RegistryEvent.class));
        }
        return out;
    }

    /** Takes the registry's lock ({@link RegistryLock#acquire}), creating the registry directory if needed. */
    public RegistryLock lock(String purpose, Duration wait, Duration staleAfter, Consumer<String> log) throws IOException {
        fs.mkdirs(dir);
        return RegistryLock.acquire(fs, dir, purpose, wait, staleAfter, log);
    }

    // ---- writers: each takes the held lock and checks it is still held right before it commits ----

    /**
     * Removes what a crashed writer left: everything in {@code staging/}, and model directories without an
     * {@code entry.json}. Records a {@code cleaned} event when there was something.
     *
     * @return the removed paths
     */
    public List<Path> removeLeftovers(RegistryLock lock) throws IOException {
        lock.requireHeld();
        List<Path> removed = new ArrayList<>();
        Path staging = new Path(dir, STAGING);
        if (fs.exists(staging)) {
            for (FileStatus s : fs.listStatus(staging)) removed.add(s.getPath());
        }
        for (String id : modelIds()) {
            if (!fs.exists(new Path(modelDirectory(id), ENTRY))) removed.add(modelDirectory(id));
        }
        for (Path p : removed) fs.delete(p, true);
        if (!removed.isEmpty()) {
            append(lock, event(lock, RegistryEvent.CLEANED, null, null, "removed a crashed run's leftovers: " + removed));
        }
        return removed;
    }

    /** A new, empty directory under {@code staging/} to train a candidate in. */
    public Path newStaging(RegistryLock lock) throws IOException {
        lock.requireHeld();
        Path p = new Path(new Path(dir, STAGING), "run-" + UUID.randomUUID());
        fs.mkdirs(p);
        return p;
    }

    /**
     * Moves a finished run directory from {@code staging/} into {@code models/} under the next id, then
     * writes its entry (which makes it a registered model) and a {@code registered} event.
     *
     * @return the entry, with its id
     */
    public RegistryEntry register(RegistryLock lock, Path staged, RegistryEntry entry) throws IOException {
        lock.requireHeld();
        List<String> ids = modelIds();
        int next = ids.isEmpty() ? 1 : Integer.parseInt(ids.get(ids.size() - 1).substring(1)) + 1;
        String id = String.format(Locale.ROOT, "v%04d", next);
        Path target = modelDirectory(id);
        fs.mkdirs(target.getParent());
        if (fs.exists(target) || !fs.rename(staged, target)) {
            throw new IOException("cannot move " + staged + " to " + target);
        }
        RegistryEntry registered = entry.withId(id);
        lock.requireHeld();
        replace(new Path(target, ENTRY), PRETTY.writeValueAsBytes(registered));
        append(lock, event(lock, RegistryEvent.REGISTERED, id, null, registered.start() + " start: " + registered.startReason()
                + String.format(Locale.ROOT, "; %d tokens, val loss %.6f", registered.tokensSeen(), registered.valLoss())));
        return registered;
    }

    /** Rewrites a model's entry (its evaluation or decision), with an event (or none: null). */
    public void update(RegistryLock lock, RegistryEntry entry, RegistryEvent event) throws IOException {
        lock.requireHeld();
        replace(new Path(modelDirectory(entry.id()), ENTRY), PRETTY.writeValueAsBytes(entry));
        if (event != null) append(lock, event);
    }

    /**
     * Points CURRENT back at {@code to}, or, when null, at the model that was promoted before the current one
     * (the {@code previous} of the promotion that made it current).
     *
     * @return the id CURRENT names now
     */
    public String rollback(RegistryLock lock, String to) throws IOException {
        String now = current().orElseThrow(() -> new IllegalArgumentException("registry " + dir
                + " has no promoted model: nothing to roll back"));
        String target;
        if (to != null) {
            target = entry(to).id();
        } else {
            target = null;
            // the promotion that made it current, not a rollback to it: rolling back twice goes further back
            for (RegistryEvent e : history()) {
                if (RegistryEvent.PROMOTED.equals(e.event()) && now.equals(e.id())) target = e.previous();
            }
            if (target == null) {
                throw new IllegalArgumentException("registry " + dir + ": " + now + " is the first promoted model, there is"
                        + " none before it to roll back to; give --to ID");
            }
        }
        if (target.equals(now)) throw new IllegalArgumentException("registry " + dir + ": " + now + " is already current");
        setCurrent(lock, target, event(lock, RegistryEvent.ROLLED_BACK, target, now, "rolled back from " + now));
        return target;
    }

    /**
     * Points {@code CURRENT} at {@code id} (one atomic rename), then records the event: a reader sees the old
     * or the new pointer, never none.
     */
    public void setCurrent(RegistryLock lock, String id, RegistryEvent event) throws IOException {
        entry(id); // must be registered
        lock.requireHeld();
        replace(new Path(dir, CURRENT), (id + "\n").getBytes(StandardCharsets.UTF_8));
        append(lock, event);
    }

    /** An event by this lock's holder, now. */
    public static RegistryEvent event(RegistryLock lock, String kind, String id, String previous, String detail) {
        RegistryLock.Owner o = lock.owner();
        return new RegistryEvent(Instant.now().toString(), kind, id, previous, detail,
                o.purpose() + " on " + o.host() + " pid " + o.pid());
    }

    private void append(RegistryLock lock, RegistryEvent e) throws IOException {
        lock.requireHeld();
        Path file = new Path(dir, HISTORY);
        String old = readIfExists(file).orElse("");
        replace(file, (old + JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Ids of every directory in models/ (complete or not), in order. */
    private List<String> modelIds() throws IOException {
        Path models = new Path(dir, MODELS);
        if (!fs.exists(models)) return List.of();
        return Arrays.stream(fs.listStatus(models)).filter(FileStatus::isDirectory).map(s -> s.getPath().getName())
                .filter(n -> ID.matcher(n).matches())
                .sorted(Comparator.comparingInt((String n) -> Integer.parseInt(n.substring(1))))
                .toList();
    }

    private RegistryEntry parseEntry(String json, String id) {
        try {
            return JSON.readValue(json, RegistryEntry.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(new Path(modelDirectory(id), ENTRY) + " is not readable as a registry entry ("
                    + e.getMessage().lines().findFirst().orElse("") + "): written by another version of mosa-spark?", e);
        }
    }

    private Optional<String> readIfExists(Path file) throws IOException {
        try (var in = fs.open(file)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces {@code file} by {@code bytes} so that a reader sees the old or the new content and never
     * none: written to a hidden name beside it, then renamed over it. On the local filesystem that is
     * POSIX rename; on HDFS FileContext's rename with OVERWRITE (one NameNode operation). Elsewhere
     * (S3A) FileContext falls back to delete-then-rename: docs/retrain.md says what that means.
     */
    private void replace(Path file, byte[] bytes) throws IOException {
        Path tmp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(bytes);
            }
            if (fs instanceof RawLocalFileSystem) {
                if (!fs.rename(tmp, file)) throw new IOException("cannot rename " + tmp + " to " + file);
            } else {
                FileContext.getFileContext(fs.getUri(), hadoop).rename(tmp, file, Options.Rename.OVERWRITE);
            }
        } finally {
            if (fs.exists(tmp)) fs.delete(tmp, false);
        }
    }
}
