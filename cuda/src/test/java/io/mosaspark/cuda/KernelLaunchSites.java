package io.mosaspark.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every kernel launch in the backend's sources, read from the text: {@code gpu.launch("name", grid, block,
 * shared, args…)} (or {@code launch(…)} inside {@link Gpu}), {@code launch2d} with two grid arguments, and the fused attention's
 * {@code launch2d(kernel(STEM, …), …)} whose name is computed from a stem constant. cuLaunchKernel reads as
 * many argument slots as the kernel declares, whatever the host passed, so a launch one argument short
 * reads a stale slot on the GPU instead of failing: the tests hold these counts against the kernels'.
 */
final class KernelLaunchSites {

    private static final Path SOURCES = Path.of("src/main/java/io/mosaspark/cuda");
    private static final Pattern LAUNCH = Pattern.compile("\\blaunch(2d)?\\((?:\"(\\w+)\"|kernel\\((\\w+),)");

    private KernelLaunchSites() {
    }

    static List<Launch> all() throws IOException {
        List<Launch> out = new ArrayList<>();
        try (Stream<Path> sources = Files.list(SOURCES)) {
            for (Path p : sources.sorted().toList()) {
                String text = Files.readString(p);
                Matcher m = LAUNCH.matcher(text);
                while (m.find()) {
                    int open = text.indexOf('(', m.start() + 1);
                    List<String> args = topLevelArguments(text.substring(open + 1, closing(text, open)));
                    boolean stem = m.group(2) == null;
                    String kernel = stem ? stemValue(text, m.group(3)) : m.group(2);
                    out.add(new Launch(p.getFileName().toString(), kernel, stem, args.size() - 1 - (m.group(1) != null ? 4 : 3), args));
                }
            }
        }
        return out;
    }

    /**
     * One launch: the kernel's name (or, for {@code stem}, the prefix of its names), how many arguments it
     * passes the kernel (after the grid, block and shared-memory size) and the call's arguments as written.
     */
    record Launch(String file, String kernel, boolean stem, int passed, List<String> arguments) {
        boolean launches(String name) {
            return stem ? name.startsWith(kernel + "_") : name.equals(kernel);
        }
    }

    private static String stemValue(String text, String constant) {
        Matcher v = Pattern.compile("\\b" + constant + " = \"(\\w+)\"").matcher(text);
        if (!v.find()) throw new IllegalStateException("no value for the kernel stem constant " + constant);
        return v.group(1);
    }

    /** The index of the parenthesis that closes the one at {@code open}. */
    private static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') i = text.indexOf('"', i + 1);
            else if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        throw new IllegalStateException("unclosed parenthesis at " + open);
    }

    /** A comma-separated list split at the commas outside brackets; empty for a blank list. */
    private static List<String> topLevelArguments(String list) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"') i = list.indexOf('"', i + 1);
            else if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth--;
            else if (c == ',' && depth == 0) {
                out.add(list.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (!list.isBlank()) out.add(list.substring(start).trim());
        return out;
    }
}
