package io.mosaspark.prep.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this code, from the Maven-filtered {@code mosa-prep-version.properties}. */
public final class CodeVersion {
    private CodeVersion() {
    }

    public static String get() {
        Properties p = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream("/mosa-prep-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "mosa-data-prep " + p.getProperty("version", "unknown");
    }
}
