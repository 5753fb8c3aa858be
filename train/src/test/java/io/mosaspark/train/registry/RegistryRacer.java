package io.mosaspark.train.registry;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A child JVM of {@link RegistryLockTest}: {@code race DIR NAME N GO_FILE} registers N models under the lock, one
 * lock per model, as fast as it can; {@code hold DIR STALE_MS} takes the lock and keeps it (refreshing)
 * until killed.
 */
public final class RegistryRacer {
    public static void main(String[] args) throws Exception {
        ModelRegistry registry = ModelRegistry.open(args[1], new Configuration());
        if (args[0].equals("hold")) {
            Duration stale = Duration.ofMillis(Long.parseLong(args[2]));
            RegistryLock lock = registry.lock("holder", Duration.ofSeconds(30), stale, System.out::println);
            System.out.println("holding " + lock.owner().pid());
            Thread.sleep(Long.MAX_VALUE);
        }
        String name = args[2];
        int n = Integer.parseInt(args[3]);
        // both racers start together and warm: the JVMs take different times to start, and a first registration
        // loads classes for a second or more on a busy machine, in which the other racer could finish alone
        register(ModelRegistry.open(args[1] + "-warmup-" + name, new Configuration()), name, -1);
        java.nio.file.Path go = java.nio.file.Path.of(args[4]);
        System.out.println("ready " + name);
        while (!java.nio.file.Files.exists(go)) Thread.sleep(5);
        for (int i = 0; i < n; i++) {
            register(registry, name, i);
            // work between updates, as a real writer has: the lock is not fair, a writer that re-locks at once
            // would starve the other of the chance to race
            Thread.sleep(30 + (long) (Math.random() * 50));
        }
        System.out.println("done " + name);
    }

    private static void register(ModelRegistry registry, String name, int i) throws Exception {
        try (RegistryLock lock = registry.lock("racer " + name, Duration.ofSeconds(60), Duration.ofMinutes(10),
                System.out::println)) {
            Path staged = registry.newStaging(lock);
            try (FSDataOutputStream out = registry.fileSystem().create(new Path(staged, "model.txt"), false)) {
                out.write((name + " " + i).getBytes(StandardCharsets.UTF_8));
            }
            registry.register(lock, staged, new RegistryEntry(null, null, "fresh", name + " " + i, "now", null, null,
                    i, 1, 1.0, 0, null, null, null, null, null));
        }
    }
}
