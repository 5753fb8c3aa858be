package io.mosaspark.train.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The registry's one writer at a time: the file {@code REGISTRY/LOCK}, created only if absent, holding its
 * owner (host, pid, a random token, when): atomic create-if-absent on HDFS and, through the kernel's
 * exclusive create, on the local filesystem (not on S3A: docs/retrain.md). While held, a daemon thread refreshes the file's
 * modification time every {@code staleAfter / 4}, so a retrain that trains for hours keeps it.
 *
 * <p>A lock whose modification time is older than {@code staleAfter} belongs to a process that died
 * (kill -9, a lost node): the next process takes it over and logs whose it was. Take-over renames the
 * stale file away (rename is atomic; of two processes racing for it only one moves it) and checks that
 * what it moved is the stale lock it judged, not a fresh one another process made meanwhile (then it
 * puts that one back). A holder checks, before every change it commits ({@link #requireHeld}), that the
 * lock is still its own, so even a holder that was wrongly judged stale (a paused JVM, a clock far off)
 * stops rather than writes beside the new owner.
 *
 * <p>Staleness compares this host's clock with the filesystem's modification time, so the hosts' and
 * the filesystem's clocks must agree to well within {@code staleAfter} (default 10 minutes).
 */
public final class RegistryLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String NAME = "LOCK";
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(10);

    /** Who holds a lock: what the file says. */
    public record Owner(@JsonProperty("host") String host, @JsonProperty("pid") long pid,
                        @JsonProperty("token") String token, @JsonProperty("purpose") String purpose,
                        @JsonProperty("acquired") String acquired) {
        public String describe() {
            return purpose + " (host " + host + ", pid " + pid + ", since " + acquired + ")";
        }
    }

    /** The lock is held by a live process and did not come free within the wait. */
    public static final class Busy extends IOException {
        public Busy(String message) {
            super(message);
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Owner owner;
    private final ScheduledExecutorService heartbeat;
    private volatile IOException lost;

    private RegistryLock(FileSystem fs, Path file, Owner owner, Duration staleAfter) {
        this.fs = fs;
        this.file = file;
        this.owner = owner;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registry-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, staleAfter.toMillis() / 4);
        heartbeat.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lock of the registry at {@code dir}, waiting up to {@code wait} for a live holder to let
     * go; a stale one is taken over (and {@code log} told whose it was).
     *
     * @throws Busy naming the holder, when it is still held after {@code wait}
     */
    public static RegistryLock acquire(FileSystem fs, Path dir, String purpose, Duration wait, Duration staleAfter,
                                       Consumer<String> log) throws IOException {
        Path file = new Path(dir, NAME);
        Owner me = new Owner(host(), ProcessHandle.current().pid(), UUID.randomUUID().toString(), purpose,
                Instant.now().toString());
        byte[] bytes = JSON.writeValueAsBytes(me);
        long deadline = System.nanoTime() + wait.toNanos();
        long backoff = 5;
        while (true) {
            if (tryCreate(fs, file, bytes)) return new RegistryLock(fs, file, me, staleAfter);
            Optional<Held> held = read(fs, file);
            if (held.isEmpty()) continue; // let go between our create and our read: try again at once
            if (isStale(held.get(), staleAfter)) {
                if (takeOver(fs, file, held.get())) {
                    String message = "registry " + dir + ": took over a stale lock of " + describe(held.get())
                            + ", not refreshed for " + age(held.get()).toSeconds() + " s (stale after "
                            + staleAfter.toSeconds() + " s)";
                    LOG.warn(message);
                    log.accept(message);
                }
                continue; // create again: another process may have been faster
            }
            if (System.nanoTime() > deadline) {
                throw new Busy("registry " + dir + " is locked by " + describe(held.get())
                        + ": wait for it to finish, or if that process is gone, the lock is taken over "
                        + staleAfter.toMinutes() + " min after its last refresh (or delete " + file + ")");
            }
            sleep(backoff + (long) (Math.random() * backoff));
            backoff = Math.min(backoff * 2, 200);
        }
    }

    /** The holder as the lock file names it, if the registry is locked now. */
    public static Optional<Owner> holder(FileSystem fs, Path dir) throws IOException {
        return read(fs, new Path(dir, NAME)).map(Held::owner);
    }

    public Owner owner() {
        return owner;
    }

    /**
     * Fails unless the lock file is still this holder's: called right before each change is committed.
     *
     * @throws IOException naming the process that holds it now
     */
    public void requireHeld() throws IOException {
        if (lost != null) throw lost;
        Optional<Held> now = read(fs, file);
        if (now.isEmpty() || now.get().owner() == null || !owner.token().equals(now.get().owner().token())) {
            lost = new IOException("lost the registry lock " + file + " (now "
                    + now.map(RegistryLock::describe).orElse("free")
                    + "): another process judged it stale and took it over, or replaced the file; nothing more is written by "
                    + owner.describe());
            throw lost;
        }
    }

    @Override
    public void close() throws IOException {
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (lost != null) return; // someone else's now: leave it
        Optional<Held> now = read(fs, file);
        if (now.isPresent() && now.get().owner() != null && owner.token().equals(now.get().owner().token())) {
            fs.delete(file, false);
        }
    }

    private void refresh() {
        try {
            requireHeld();
            fs.setTimes(file, System.currentTimeMillis(), -1);
        } catch (IOException e) {
            LOG.warn("registry lock {}: {}", file, e.getMessage());
        }
    }

    /** The lock file's owner (null when the file is still being written or unreadable) and its age. */
    private record Held(Owner owner, long modifiedMillis, String raw) {
    }

    /**
     * Creates {@code file} with {@code bytes} unless it exists, atomically. HDFS's create with
     * {@code overwrite=false} is atomic at the NameNode; Hadoop's local filesystem checks and then opens
     * (two processes can both pass the check), so on {@code file:} the create is the kernel's
     * {@code O_CREAT|O_EXCL} instead. The content follows the create: a reader may see the file empty for
     * a moment, which {@link #read} reports as an unreadable (and, being just made, not stale) lock.
     */
    private static boolean tryCreate(FileSystem fs, Path file, byte[] bytes) throws IOException {
        FileSystem raw = fs instanceof LocalFileSystem l ? l.getRawFileSystem() : fs;
        if (raw instanceof RawLocalFileSystem local) {
            java.nio.file.Path p = local.pathToFile(file).toPath();
            try {
                java.nio.file.Files.write(p, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(bytes);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(file)) return false; // some filesystems say it with a plain IOException
            throw e;
        }
    }

    private static Optional<Held> read(FileSystem fs, Path file) throws IOException {
        try {
            FileStatus st = fs.getFileStatus(file);
            byte[] raw;
            try (var in = fs.open(file)) {
                raw = in.readAllBytes();
            }
            Owner o;
            try {
                o = JSON.readValue(raw, Owner.class);
            } catch (IOException unreadable) {
                o = null;
            }
            return Optional.of(new Held(o, st.getModificationTime(), new String(raw, StandardCharsets.UTF_8)));
        } catch (FileNotFoundException gone) {
            return Optional.empty();
        }
    }

    private static boolean isStale(Held h, Duration staleAfter) {
        return age(h).compareTo(staleAfter) > 0;
    }

    private static Duration age(Held h) {
        return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - h.modifiedMillis()));
    }

    /** Moves the stale lock away; true when what was moved is the one judged stale (then it is deleted). */
    private static boolean takeOver(FileSystem fs, Path file, Held stale) throws IOException {
        Path moved = new Path(file.getParent(), "." + NAME + ".stale-" + UUID.randomUUID());
        // of two processes renaming the same file, one moves it and the other finds no source
        if (!fs.rename(file, moved)) return false;
        Optional<Held> what = read(fs, moved);
        if (what.isPresent() && what.get().raw().equals(stale.raw())) {
            fs.delete(moved, false);
            return true;
        }
        // a fresh lock was made between our read and our rename: give it back to its owner, unless a third
        // process has locked meanwhile (then the owner we moved finds out at its next requireHeld)
        tryCreate(fs, file, what.map(h -> h.raw().getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]));
        fs.delete(moved, false);
        return false;
    }

    private static String describe(Held h) {
        return h.owner() == null ? "an unreadable lock file" : h.owner().describe();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the registry lock", e);
        }
    }
}
