package io.mosaspark.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks the Airflow DAG of deploy/airflow without Airflow: Python's own parser reads it
 * ({@code deploy/dag_tasks.py}, a test resource, runs {@code ast} under python3; the DAG is never
 * executed) and lists its SparkSubmitOperator tasks. Each must run the job's main class from the jar
 * where the image keeps it, with a Spark profile that exists and a {@code mosa} command line the build
 * accepts; the tasks must run the retraining cycle in order: prepare, retrain without promoting,
 * evaluate, promote.
 */
final class AirflowDagCheck {

    /** The cycle: each task's command path, in dependency order. */
    static final List<List<String>> CYCLE = List.of(List.of("prepare"), List.of("retrain"),
            List.of("registry", "evaluate"), List.of("registry", "promote"));

    private final BuildReferences build;

    AirflowDagCheck(BuildReferences build) {
        this.build = build;
    }

    /** The extractor's JSON for {@code dag}: {"tasks": [{"line", "kwargs"}], "edges": [[from, to]]}. */
    static JsonNode read(Path dag) throws IOException, InterruptedException {
        Path script = Files.createTempFile("dag_tasks", ".py");
        try {
            try (InputStream in = AirflowDagCheck.class.getResourceAsStream("/deploy/dag_tasks.py")) {
                if (in == null) throw new IOException("/deploy/dag_tasks.py is not on the test classpath");
                Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Process p;
            try {
                p = new ProcessBuilder("python3", script.toString(), dag.toString()).redirectErrorStream(false).start();
            } catch (IOException e) {
                throw new IOException("python3 is needed to parse " + dag + " (Debian: apt-get install python3): " + e.getMessage(), e);
            }
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(dag + " does not parse as Python: " + err.strip());
            }
            return new ObjectMapper().readTree(out);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    List<String> problems(Path dag) throws IOException, InterruptedException {
        String where = build.repo().relativize(dag.toAbsolutePath()).toString();
        JsonNode parsed;
        try {
            parsed = read(dag);
        } catch (IOException e) {
            return List.of(e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> commandOf = new LinkedHashMap<>();
        for (JsonNode task : parsed.path("tasks")) {
            JsonNode kw = task.path("kwargs");
            String id = kw.path("task_id").asText();
            String at = where + ":" + task.path("line").asInt() + " (task " + id + "): ";
            build.className(kw.path("java_class").asText()).ifPresent(p -> problems.add(at + "java_class: " + p));
            if (!kw.path("application").asText().endsWith(BuildReferences.IMAGE_JAR.substring("/opt/mosa-spark".length()))
                    && !kw.path("application").asText().equals(BuildReferences.IMAGE_JAR)) {
                problems.add(at + "application is " + kw.path("application").asText() + ", not MOSA_HOME/lib/mosa-job-spark.jar");
            }
            JsonNode conf = kw.path("conf");
            if (conf.has("$profile")) {
                build.profile(conf.path("$profile").asText()).ifPresent(p -> problems.add(at + "conf: " + p));
            } else {
                conf.fields().forEachRemaining(e -> build.sparkKey(e.getKey(), e.getValue().asText())
                        .ifPresent(p -> problems.add(at + "conf: " + p)));
            }
            List<String> args = new ArrayList<>();
            for (JsonNode a : kw.path("application_args")) {
                if (!a.isValueNode()) problems.add(at + "application_args has a value this check cannot resolve: " + a);
                args.add(a.asText());
            }
            build.command(args).ifPresent(p -> problems.add(at + "application_args: " + p));
            commandOf.put(id, BuildReferences.commandPath(args).isEmpty() ? args.subList(0, Math.min(2, args.size()))
                    : BuildReferences.commandPath(args));
            if (args.contains("retrain") && !args.contains("--no-promote")) {
                problems.add(at + "retrain must not promote (--no-promote): the promote task does, after evaluate");
            }
        }
        // the order: follow the edges from the task nobody depends on
        Map<String, String> next = new LinkedHashMap<>();
        for (JsonNode e : parsed.path("edges")) next.put(e.get(0).asText(), e.get(1).asText());
        List<List<String>> order = new ArrayList<>();
        String t = commandOf.keySet().stream().filter(id -> !next.containsValue(id)).findFirst().orElse(null);
        for (int guard = 0; t != null && guard <= commandOf.size(); guard++, t = next.get(t)) {
            order.add(commandOf.getOrDefault(t, List.of("?" + t)));
        }
        if (!order.equals(CYCLE)) problems.add(where + ": the tasks run " + order + "; the cycle is " + CYCLE);
        return problems;
    }
}
