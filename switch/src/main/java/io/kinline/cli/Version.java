package io.kinline.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Kinline.class.getPackage().getImplementationVersion();
        return new String[] {"kinline " + (v != null ? v : "development build")};
    }
}
