package io.mosaspark.train.registry;

import io.mosaspark.prep.MiniHdfs;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry on a real HDFS (MiniDFSCluster): the code paths the local filesystem does not take, i.e.
 * the lock's create with {@code overwrite=false} at the NameNode, and CURRENT, history and entries
 * replaced by FileContext's rename with OVERWRITE.
 */
class RegistryOnHdfsTest {

    private static Path stage(ModelRegistry r, RegistryLock lock, String text) throws Exception {
        Path staged = r.newStaging(lock);
        try (FSDataOutputStream out = r.fileSystem().create(new Path(staged, "model.txt"), false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return staged;
    }

    private static RegistryEntry entry(String reason) {
        return new RegistryEntry(null, null, "fresh", reason, "now", null, null, 1, 1, 1.0, 0, null, null, null, null, null);
    }

    @Test
    void registerPromoteRollBackAndLockOnHdfs() throws Exception {
        FileSystem hdfs = MiniHdfs.fs();
        String uri = hdfs.getUri() + "/registry-test";
        ModelRegistry r = ModelRegistry.open(uri, hdfs.getConf());
        try (RegistryLock lock = r.lock("test", Duration.ZERO, Duration.ofMinutes(10), m -> { })) {
            RegistryLock.Busy busy = assertThrows(RegistryLock.Busy.class,
                    () -> r.lock("second", Duration.ofMillis(300), Duration.ofMinutes(10), m -> { }));
            assertTrue(busy.getMessage().contains("locked by test"), busy.getMessage());
            RegistryEntry v1 = r.register(lock, stage(r, lock, "one"), entry("one"));
            RegistryEntry v2 = r.register(lock, stage(r, lock, "two"), entry("two"));
            assertEquals(List.of("v0001", "v0002"), r.entries().stream().map(RegistryEntry::id).toList());
            r.setCurrent(lock, v1.id(), ModelRegistry.event(lock, RegistryEvent.PROMOTED, v1.id(), null, "first"));
            r.setCurrent(lock, v2.id(), ModelRegistry.event(lock, RegistryEvent.PROMOTED, v2.id(), v1.id(), "better"));
            assertEquals("v0002", r.current().orElseThrow());
            assertEquals("v0001", r.rollback(lock, null));
            assertEquals("v0001", r.current().orElseThrow());
            r.update(lock, r.entry("v0002").withDecision(new RegistryEntry.Decision(false, 0.01, false, "rolled back", "now")),
                    null);
            assertFalse(r.entry("v0002").decision().promoted());
        }
        assertEquals(List.of("registered", "registered", "promoted", "promoted", "rolled_back"),
                r.history().stream().map(RegistryEvent::event).toList());
        List<String> names = new ArrayList<>();
        for (FileStatus s : hdfs.listStatus(new Path(uri))) names.add(s.getPath().getName());
        names.sort(null);
        assertEquals(List.of("CURRENT", "history.jsonl", "models", "staging"), names, "no lock, no temporary file left");
        assertTrue(Arrays.stream(hdfs.listStatus(new Path(uri, "models/v0002"))).noneMatch(s -> s.getPath().getName().endsWith(".tmp")));
    }

    @Test
    void aStaleLockOnHdfsIsTakenOver() throws Exception {
        FileSystem hdfs = MiniHdfs.fs();
        String uri = hdfs.getUri() + "/registry-stale";
        ModelRegistry r = ModelRegistry.open(uri, hdfs.getConf());
        // a holder that died 20 minutes ago: its lock file, not refreshed since
        Path lockFile = new Path(uri, RegistryLock.NAME);
        try (FSDataOutputStream out = hdfs.create(lockFile, false)) {
            out.write("{\"host\":\"gone\",\"pid\":4242,\"token\":\"t\",\"purpose\":\"mosa retrain\",\"acquired\":\"then\"}"
                    .getBytes(StandardCharsets.UTF_8));
        }
        hdfs.setTimes(lockFile, System.currentTimeMillis() - Duration.ofMinutes(20).toMillis(), -1);
        assertThrows(RegistryLock.Busy.class, () -> r.lock("patient", Duration.ZERO, Duration.ofMinutes(30), m -> { }),
                "20 minutes is not stale when the timeout is 30");
        List<String> log = new ArrayList<>();
        try (RegistryLock lock = r.lock("successor", Duration.ZERO, Duration.ofMinutes(10), log::add)) {
            lock.requireHeld();
            assertEquals(1, log.size());
            assertTrue(log.get(0).contains("mosa retrain (host gone, pid 4242"), log.get(0));
        }
        assertFalse(hdfs.exists(lockFile));
    }
}
