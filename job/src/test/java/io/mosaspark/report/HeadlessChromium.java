package io.mosaspark.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, as the report test drives it: the DOM after the page's scripts ran, and a
 * screenshot. Found as {@code $MOSA_CHROMIUM}, else {@code chromium}, {@code chromium-browser} or
 * {@code google-chrome} on the PATH.
 */
final class HeadlessChromium {
    static final String ENV = "MOSA_CHROMIUM";
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    private final Path binary;
    private final Path profile;

    private HeadlessChromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    static Optional<HeadlessChromium> find(Path scratch) {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) return Optional.of(new HeadlessChromium(Path.of(env), scratch));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String n : NAMES) {
                Path p = Path.of(dir, n);
                if (Files.isExecutable(p)) return Optional.of(new HeadlessChromium(p, scratch));
            }
        }
        return Optional.empty();
    }

    /** The serialised DOM of {@code page} once its scripts have run. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", page.toUri().toString()), null);
    }

    /** A {@code width × height} screenshot of {@code page}, written to {@code png}. */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png, "--window-size=" + width + "," + height, "--hide-scrollbars",
                page.toUri().toString()), png);
    }

    private String run(List<String> args, Path expected) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--allow-file-access-from-files",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
        cmd.addAll(args);
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 120 s: " + cmd);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || (expected != null && !Files.exists(expected))) {
            throw new IllegalStateException("chromium exited " + p.exitValue() + ": " + cmd + "\n" + Files.readString(err));
        }
        return stdout;
    }
}
