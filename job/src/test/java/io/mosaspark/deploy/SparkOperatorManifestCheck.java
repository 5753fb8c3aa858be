package io.mosaspark.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the Kubernetes manifests of deploy/k8s: each parses as YAML (SnakeYAML, duplicate keys refused);
 * every SparkApplication and ScheduledSparkApplication (spark-operator CRD sparkoperator.k8s.io/v1beta2)
 * uses only fields of that API, runs a class of the build from the jar where the image keeps it, with
 * the build's Spark version, Spark settings that exist, GPUs as the nvidia.com/gpu resource, and a
 * {@code mosa} command line the build accepts.
 */
final class SparkOperatorManifestCheck {

    static final String API_VERSION = "sparkoperator.k8s.io/v1beta2";

    // Field names of the v1beta2 API (the operator's API reference): SparkApplicationSpec, SparkPodSpec with
    // DriverSpec and ExecutorSpec, RestartPolicy, GPUSpec and ScheduledSparkApplicationSpec.
    private static final Set<String> APPLICATION_FIELDS = Set.of("type", "sparkVersion", "mode", "proxyUser", "image",
            "imagePullPolicy", "imagePullSecrets", "mainClass", "mainApplicationFile", "arguments", "sparkConf",
            "hadoopConf", "sparkConfigMap", "hadoopConfigMap", "volumes", "driver", "executor", "deps", "restartPolicy",
            "nodeSelector", "failureRetries", "retryInterval", "pythonVersion", "memoryOverheadFactor", "monitoring",
            "batchScheduler", "timeToLiveSeconds", "batchSchedulerOptions", "sparkUIOptions", "driverIngressOptions",
            "dynamicAllocation");
    private static final Set<String> POD_FIELDS = Set.of("cores", "coreLimit", "coreRequest", "memory", "memoryOverhead",
            "gpu", "image", "configMaps", "secrets", "env", "envVars", "envFrom", "envSecretKeyRefs", "labels",
            "annotations", "volumeMounts", "affinity", "tolerations", "podSecurityContext", "securityContext",
            "schedulerName", "sidecars", "initContainers", "hostNetwork", "nodeSelector", "dnsConfig",
            "terminationGracePeriodSeconds", "serviceAccount", "hostAliases", "shareProcessNamespace", "javaOptions",
            "template", "priorityClassName", "kubernetesMaster", "podName", "serviceAnnotations", "serviceLabels",
            "ports", "lifecycle", "instances", "deleteOnTermination");
    private static final Set<String> RESTART_FIELDS = Set.of("type", "onSubmissionFailureRetries", "onFailureRetries",
            "onSubmissionFailureRetryInterval", "onFailureRetryInterval");
    private static final Set<String> SCHEDULE_FIELDS = Set.of("schedule", "template", "suspend", "concurrencyPolicy",
            "successfulRunHistoryLimit", "failedRunHistoryLimit");

    /** The annotation naming the Spark profile a manifest mirrors. */
    static final String PROFILE_ANNOTATION = "mosa-spark/profile";
    /** Where the image keeps conf/ (deploy/docker/Dockerfile). */
    private static final String IMAGE_CONF = "/opt/mosa-spark/conf/";
    /** The operator's executor fields and the Spark settings it turns them into. */
    private static final Map<String, String> EXECUTOR_FIELDS = Map.of("cores", "spark.executor.cores",
            "memory", "spark.executor.memory", "memoryOverhead", "spark.executor.memoryOverhead",
            "instances", "spark.executor.instances");

    private final BuildReferences build;

    SparkOperatorManifestCheck(BuildReferences build) {
        this.build = build;
    }

    /** The documents of a YAML file, each a map; a file that does not parse is one problem. */
    static List<Map<String, Object>> documents(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new SafeConstructor(options)).loadAll(r)) {
                if (doc != null) docs.add(map(doc, file + ": a document"));
            }
        }
        return docs;
    }

    List<String> problems(Path file) throws IOException {
        String where = build.repo().relativize(file.toAbsolutePath()).toString();
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> docs;
        try {
            docs = documents(file);
        } catch (RuntimeException e) {
            return List.of(where + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        for (Map<String, Object> doc : docs) {
            Object kind = doc.get("kind");
            String at = where + " (" + kind + " " + map(doc.getOrDefault("metadata", Map.of()), "metadata").get("name") + "): ";
            if ("SparkApplication".equals(kind) || "ScheduledSparkApplication".equals(kind)) {
                if (!API_VERSION.equals(doc.get("apiVersion"))) problems.add(at + "apiVersion must be " + API_VERSION);
                Map<String, Object> spec = map(doc.get("spec"), at + "spec");
                if ("ScheduledSparkApplication".equals(kind)) {
                    unknownFields(at + "spec", spec, SCHEDULE_FIELDS, problems);
                    if (!spec.containsKey("schedule")) problems.add(at + "spec.schedule is missing");
                    spec = map(spec.get("template"), at + "spec.template");
                }
                application(at, spec, problems);
                mirrorsProfile(at, map(doc.get("metadata"), "metadata"), spec, problems);
            }
        }
        return problems;
    }

    private void application(String at, Map<String, Object> spec, List<String> problems) {
        unknownFields(at + "spec", spec, APPLICATION_FIELDS, problems);
        build.className(String.valueOf(spec.get("mainClass"))).ifPresent(p -> problems.add(at + "mainClass: " + p));
        String jar = "local://" + BuildReferences.IMAGE_JAR;
        if (!jar.equals(spec.get("mainApplicationFile"))) {
            problems.add(at + "mainApplicationFile is " + spec.get("mainApplicationFile") + "; the image has the job at " + jar);
        }
        if (!BuildReferences.sparkVersion().equals(String.valueOf(spec.get("sparkVersion")))) {
            problems.add(at + "sparkVersion " + spec.get("sparkVersion") + " is not the build's " + BuildReferences.sparkVersion());
        }
        map(spec.getOrDefault("sparkConf", Map.of()), at + "sparkConf").forEach((k, v) ->
                build.sparkKey(k, String.valueOf(v)).ifPresent(p -> problems.add(at + "sparkConf: " + p)));
        unknownFields(at + "spec.restartPolicy", map(spec.getOrDefault("restartPolicy", Map.of()), at + "restartPolicy"),
                RESTART_FIELDS, problems);
        for (String role : List.of("driver", "executor")) {
            Map<String, Object> pod = map(spec.getOrDefault(role, Map.of()), at + role);
            unknownFields(at + "spec." + role, pod, POD_FIELDS, problems);
            if (pod.containsKey("gpu")) {
                Map<String, Object> gpu = map(pod.get("gpu"), at + role + ".gpu");
                unknownFields(at + "spec." + role + ".gpu", gpu, Set.of("name", "quantity"), problems);
                if (!"nvidia.com/gpu".equals(gpu.get("name"))) problems.add(at + role + ".gpu.name must be nvidia.com/gpu");
            }
        }
        List<String> args = new ArrayList<>();
        for (Object a : (List<?>) spec.getOrDefault("arguments", List.of())) args.add(String.valueOf(a));
        build.command(args).ifPresent(p -> problems.add(at + "arguments: " + p));
    }

    /**
     * The manifest's settings against the profile it names in its {@code mosa-spark/profile} annotation
     * (its layers merged, what `./mosa --profile NAME` would submit with): a setting both make must
     * have one value, whether the manifest makes it in sparkConf or through the operator's executor fields.
     */
    private void mirrorsProfile(String at, Map<String, Object> metadata, Map<String, Object> spec, List<String> problems) {
        Object name = map(metadata.getOrDefault("annotations", Map.of()), "annotations").get(PROFILE_ANNOTATION);
        if (name == null) {
            problems.add(at + "metadata.annotations." + PROFILE_ANNOTATION + " is missing: name the Spark profile it mirrors");
            return;
        }
        if (build.profile(name.toString()).isPresent()) {
            problems.add(at + build.profile(name.toString()).get());
            return;
        }
        Map<String, String> manifest = new java.util.TreeMap<>();
        map(spec.getOrDefault("sparkConf", Map.of()), "sparkConf").forEach((k, v) -> manifest.put(k, String.valueOf(v)));
        Map<String, Object> executor = map(spec.getOrDefault("executor", Map.of()), "executor");
        EXECUTOR_FIELDS.forEach((field, key) -> {
            if (executor.containsKey(field)) manifest.put(key, String.valueOf(executor.get(field)));
        });
        if (executor.get("gpu") instanceof Map<?, ?> gpu && gpu.get("quantity") != null) {
            manifest.put("spark.executor.resource.gpu.amount", String.valueOf(gpu.get("quantity")));
        }
        Map<String, String> profile = build.profileSettings(name.toString());
        manifest.forEach((k, v) -> {
            String p = profile.get(k);
            if (p != null && !p.equals(v)) {
                problems.add(at + k + " is " + v + " here but " + p + " in profile " + name + " (conf/spark/layers)");
            }
        });
        // a path into the image's copy of conf/ must be a file of conf/
        manifest.forEach((k, v) -> {
            if (v.startsWith(IMAGE_CONF) && !Files.isRegularFile(build.repo().resolve("conf").resolve(v.substring(IMAGE_CONF.length())))) {
                problems.add(at + k + " names " + v + ", but conf/" + v.substring(IMAGE_CONF.length()) + " does not exist");
            }
        });
    }

    private static void unknownFields(String at, Map<String, Object> m, Set<String> known, List<String> problems) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) problems.add(at + "." + k + " is not a field of " + API_VERSION);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        if (o instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException(what + " is not a mapping: " + o);
    }
}
