package io.kinline.tests.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Debian Chromium driven by {@code /usr/bin/chromedriver}, for tests. Every instance gets a
 * fresh profile in a temporary directory (deleted on {@link #close()}), so no cookie or cache leaks from one
 * test to the next. Selenium Manager is never used (it would go to the network): the driver and browser
 * paths are given.
 *
 * <p>The flags: headless; {@code --no-sandbox} (containers and CI runners have no user namespaces);
 * background networking, component updates, sync, translation, safe browsing, the media router and
 * field trials off, so the browser only talks to the loopback address under test; fake camera and
 * microphone that need no permission prompt (WebRTC tests); autoplay without a gesture, so an {@code <audio>}
 * element plays when a test presses play; a fixed window size, so screenshots are comparable.
 *
 * <pre>{@code
 * BrowserAssume.chromiumAvailable();
 * try (Chromium c = Chromium.start()) {
 *     c.driver().get(base + "/console/login");
 *     ...
 *     c.screenshot(Path.of("docs/console/login.png"));
 * }
 * }</pre>
 */
public final class Chromium implements AutoCloseable {

    public static final Path BROWSER = Path.of(System.getenv().getOrDefault("KINLINE_CHROMIUM", "/usr/bin/chromium"));
    public static final Path DRIVER = Path.of(System.getenv().getOrDefault("KINLINE_CHROMEDRIVER", "/usr/bin/chromedriver"));

    static final List<String> FLAGS = List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-sync",
            "--disable-extensions",
            "--disable-client-side-phishing-detection",
            "--disable-domain-reliability",
            "--disable-field-trial-config",
            "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,"
                    + "InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater,AutofillServerCommunication",
            "--metrics-recording-only",
            "--no-first-run",
            "--no-default-browser-check",
            "--no-pings",
            "--password-store=basic",
            "--use-mock-keychain",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--autoplay-policy=no-user-gesture-required",
            "--window-size=1280,900");

    private final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a browser with the default flags. */
    public static Chromium start() {
        return start(List.of());
    }

    /** Starts a browser with the default flags plus {@code extraFlags}. */
    public static Chromium start(List<String> extraFlags) {
        Path profile;
        try {
            profile = Files.createTempDirectory("kinline-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a Chromium profile directory", e);
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(BROWSER.toFile());
        o.addArguments(FLAGS);
        o.addArguments("--user-data-dir=" + profile);
        o.addArguments(extraFlags);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(profile.toFile(), "chromedriver.log"))
                .build();
        try {
            ChromeDriver d = new ChromeDriver(service, o);
            d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
            d.manage().window().setSize(new Dimension(1280, 900));
            return new Chromium(d, profile);
        } catch (RuntimeException e) {
            delete(profile);
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Runs JavaScript in the page and returns its value (Selenium's conversions). */
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves a PNG of the viewport to {@code file} (directories made as needed). */
    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.move(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot save a screenshot to " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a profile left in /tmp is untidy, not wrong
        }
    }
}
