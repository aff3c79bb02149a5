package io.kinline.tests.browser;

import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a browser test where Debian's {@code chromium} and {@code chromium-driver} are not installed, so a
 * developer without them can still run the suite; under {@code CI=true} (where {@code .ci/run} installs them)
 * a missing browser fails the test instead of hiding it.
 */
public final class BrowserAssume {

    private BrowserAssume() {
    }

    public static void chromiumAvailable() {
        boolean present = Files.isExecutable(Chromium.BROWSER) && Files.isExecutable(Chromium.DRIVER);
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + Chromium.BROWSER + " or " + Chromium.DRIVER
                    + " is missing: install chromium and chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(present, "chromium or chromedriver not installed (apt-get install chromium chromium-driver)");
    }
}
