package io.mosaspark.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a submit script that runs {@code ./mosa} (deploy/yarn): the profile it passes exists, every
 * {@code --conf KEY=VALUE} is a Spark setting, and the command it ends with is a {@code mosa} command.
 * The script's own arguments ("$@") are the user's, so only the command word is checked.
 */
final class LauncherScriptCheck {

    private static final Pattern PROFILE = Pattern.compile("--profile[= ]+\"?([A-Za-z0-9_-]+)");
    private static final Pattern CONF = Pattern.compile("--conf[= ]+\"?([a-zA-Z0-9_.-]+)=([^\"\\s]*)");
    /** The launcher's invocation: `.../mosa` then launcher options, up to the command word and "$@". */
    private static final Pattern COMMAND = Pattern.compile("([a-z][a-z-]*(?: [a-z][a-z-]*)?) \"\\$@\"");

    private final BuildReferences build;

    LauncherScriptCheck(BuildReferences build) {
        this.build = build;
    }

    List<String> problems(Path script) throws IOException {
        String where = build.repo().relativize(script.toAbsolutePath()).toString();
        // the launcher line, continuations joined
        String text = Files.readString(script).replace("\\\n", " ");
        String launch = text.lines().filter(l -> l.contains("/mosa\"") || l.contains("/mosa ")).filter(l -> !l.strip().startsWith("#"))
                .findFirst().orElse(null);
        if (launch == null) return List.of(where + ": runs no ./mosa");
        List<String> problems = new ArrayList<>();
        Matcher p = PROFILE.matcher(launch);
        if (!p.find()) problems.add(where + ": passes no --profile");
        else build.profile(p.group(1)).ifPresent(x -> problems.add(where + ": " + x));
        Matcher c = CONF.matcher(launch);
        while (c.find()) build.sparkKey(c.group(1), c.group(2).replaceAll("\\$\\{[^}]*}|\\$[A-Za-z_]+", ""))
                .ifPresent(x -> problems.add(where + ": --conf " + x));
        Matcher cmd = COMMAND.matcher(launch.replaceAll("\\s+", " "));
        if (!cmd.find()) {
            problems.add(where + ": the ./mosa line ends with no COMMAND \"$@\"");
        } else {
            List<String> words = List.of(cmd.group(1).trim().split(" "));
            if (BuildReferences.commandPath(words).isEmpty()) problems.add(where + ": `mosa " + cmd.group(1) + "` is not a mosa command");
        }
        return problems;
    }
}
