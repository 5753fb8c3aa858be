package io.mosaspark.cli;

import io.mosaspark.provenance.CodeVersion;

import picocli.CommandLine;

/** {@code --version} of the picocli commands: the same string manifests record as code_version. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {CodeVersion.current().toString()};
    }
}
