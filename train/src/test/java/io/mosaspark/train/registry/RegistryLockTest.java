package io.mosaspark.train.registry;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's lock between real JVMs: two racing writers, and one killed while it holds the lock. */
class RegistryLockTest {
    @TempDir
    Path tmp;

    private Process child(String log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RegistryRacer.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile()).start();
    }

    @Test
    void twoJvmsRegisteringAtOnceLoseNoUpdate() throws Exception {
        Path dir = tmp.resolve("registry");
        int each = 20;
        Path go = tmp.resolve("go");
        Process a = child("a.log", "race", dir.toUri().toString(), "a", String.valueOf(each), go.toString());
        Process b = child("b.log", "race", dir.toUri().toString(), "b", String.valueOf(each), go.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.readString(tmp.resolve("a.log")).contains("ready") && Files.readString(tmp.resolve("b.log")).contains("ready"))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Files.createFile(go);
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS), "racers finish");
        assertEquals(0, a.exitValue(), Files.readString(tmp.resolve("a.log")));
        assertEquals(0, b.exitValue(), Files.readString(tmp.resolve("b.log")));

        ModelRegistry r = ModelRegistry.open(dir.toUri().toString(), new Configuration());
        List<RegistryEntry> entries = r.entries();
        assertEquals(2 * each, entries.size(), "every registration is a model");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            RegistryEntry e = entries.get(i);
            assertEquals(String.format("v%04d", i + 1), e.id(), "ids are dense: no two writers took one id");
            // each model directory holds the file its own writer staged, and its entry names that writer
            String staged = Files.readString(dir.resolve("models").resolve(e.id()).resolve("model.txt"));
            assertEquals(e.startReason(), staged);
            assertTrue(seen.add(staged), "registered twice: " + staged);
        }
        StringBuilder order = new StringBuilder();
        entries.forEach(e -> order.append(e.startReason().charAt(0)));
        long switches = 0;
        for (int i = 1; i < order.length(); i++) if (order.charAt(i) != order.charAt(i - 1)) switches++;
        assertTrue(switches >= 2, "the two writers interleaved (" + switches + " changes of writer: " + order + ")");
        List<RegistryEvent> history = r.history();
        assertEquals(2 * each, history.size(), "history.jsonl (read, extended, replaced) lost no line");
        assertTrue(history.stream().allMatch(h -> h.event().equals(RegistryEvent.REGISTERED)));
        assertTrue(Files.notExists(dir.resolve("LOCK")), "both let go");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void aKilledHoldersLockIsTakenOverOnlyAfterTheStaleTimeout() throws Exception {
        Path dir = tmp.resolve("registry");
        long staleMs = 3000;
        Process holder = child("holder.log", "hold", dir.toUri().toString(), String.valueOf(staleMs));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(tmp.resolve("holder.log")).contains("holding") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(dir.resolve("LOCK")), Files.readString(tmp.resolve("holder.log")));
        ModelRegistry r = ModelRegistry.open(dir.toUri().toString(), new Configuration());
        // alive and refreshing: not stale, however long one waits within the timeout
        assertThrows(RegistryLock.Busy.class, () -> r.lock("waiter", Duration.ofMillis(2 * staleMs), Duration.ofMillis(staleMs),
                m -> { }));
        holder.destroyForcibly().waitFor();
        long killed = System.nanoTime();
        RegistryLock.Busy busy = assertThrows(RegistryLock.Busy.class,
                () -> r.lock("impatient", Duration.ZERO, Duration.ofMillis(staleMs), m -> { }));
        assertTrue(busy.getMessage().contains("pid " + holder.pid()), busy.getMessage());

        List<String> log = new ArrayList<>();
        try (RegistryLock lock = r.lock("successor", Duration.ofSeconds(30), Duration.ofMillis(staleMs), log::add)) {
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            // its last refresh was at most staleMs / 4 before the kill
            assertTrue(waitedMs >= staleMs - staleMs / 4 - 100, "taken over after " + waitedMs + " ms");
            assertEquals(1, log.size(), log.toString());
            assertTrue(log.get(0).contains("took over a stale lock of holder") && log.get(0).contains("pid " + holder.pid()),
                    log.get(0));
            lock.requireHeld();
            assertEquals(lock.owner(), RegistryLock.holder(r.fileSystem(), r.directory()).orElseThrow());
        }
        assertTrue(Files.notExists(dir.resolve("LOCK")));
    }
}
