package io.kinline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.KinlineSwitch;
import io.kinline.admin.console.PasswordHasher;
import io.kinline.config.KinlineConfig;
import io.kinline.store.Block;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.DemoData;
import io.kinline.store.Incident;
import io.kinline.tests.browser.BrowserAssume;
import io.kinline.tests.browser.Chromium;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.peer.UasBehaviour;
import io.kinline.tests.rtp.RtpPeer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The staff console in real Chromium against the real switch: calls placed by JAIN-SIP handset and trunk
 * peers with RTP, found, played and listened to in the browser; a block lifted in the browser lets the next
 * call through; an investigator never sees a privileged call; wrong passwords lock the account.
 *
 * <p>With {@code -Dkinline.screenshots=DIR} each screen is saved as a PNG there (docs/console/).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

    private static final String PASSWORD = "a long console password";
    private static final int MAX_FAILED = 3;
    private static final AtomicInteger NUMBERS = new AtomicInteger();
    private static final Duration UI_WAIT = Duration.ofSeconds(20);

    private Path dir;
    private KinlineSwitch node;
    private SipPeer trunk;
    private SipPeer phone;
    private volatile RtpPeer calledRtp;
    private Chromium browser;
    private String base;
    private final Path shots = System.getProperty("kinline.screenshots") == null ? null
            : Path.of(System.getProperty("kinline.screenshots"));

    @BeforeAll
    void start() throws Exception {
        BrowserAssume.chromiumAvailable();
        dir = Files.createTempDirectory("kinline-console-e2e-");
        trunk = SipPeer.builder().name("trunk").build();
        phone = SipPeer.builder().name("handset").build();
        trunk.behaviour(UasBehaviour.answer(300, offer -> {
            String answer = calledRtp.answer(offer);
            calledRtp.startSending();
            return answer;
        }));
        KinlineConfig cfg = new KinlineConfig();
        cfg.sip.port = 0;
        cfg.sip.trunk.address = trunk.address().getHostString() + ":" + trunk.address().getPort();
        cfg.admin.port = 0;
        cfg.admin.console.maxFailedSignIns = MAX_FAILED;
        int media = 36000 + (int) (ProcessHandle.current().pid() % 50) * 40;
        cfg.media.portMin = media;
        cfg.media.portMax = media + 39;
        cfg.store.dataDir = dir.toString();
        node = new KinlineSwitch(cfg).start();
        node.store().facilities().update(node.store().facilities().get(DemoData.FACILITY).orElseThrow()
                .toBuilder().consentDuringNotice(true).build());
        Files.copy(Path.of("../config/prompts/en/an-inmate.wav"), dir.resolve("name.wav"));
        String hash = new PasswordHasher().hash(PASSWORD.toCharArray());
        node.store().staff().create("ada", "Ada Admin", "admin", hash, Set.of());
        node.store().staff().create("ivy", "Ivy Investigator", "investigator", hash, Set.of());
        node.store().staff().create("cass", "Cass Service", "customer_service", hash, Set.of());
        node.store().staff().create("lockme", "Lock Me", "investigator", hash, Set.of());
        base = "http://127.0.0.1:" + node.adminAddress().getPort();
        browser = Chromium.start();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (node != null) {
            node.close();
        }
        if (phone != null) {
            phone.close();
        }
        if (trunk != null) {
            trunk.close();
        }
    }

    @BeforeEach
    void signedOut() {
        if (browser != null) {
            browser.driver().get(base + "/console/login");
            browser.driver().manage().deleteAllCookies();
        }
    }

    private WebDriver web() {
        return browser.driver();
    }

    private void signIn(String user, String password) {
        web().get(base + "/console/login");
        web().findElement(By.id("username")).sendKeys(user);
        web().findElement(By.id("password")).sendKeys(password);
        web().findElement(By.id("signin-submit")).click();
        // The POST's answer must have arrived (a page other than the form, or the form with its error) before
        // the test navigates on, or the navigation would cancel it.
        new WebDriverWait(web(), UI_WAIT).ignoring(StaleElementReferenceException.class).until(d ->
                !d.getCurrentUrl().endsWith("/console/login") || !d.findElements(By.id("signin-error")).isEmpty());
    }

    private WebElement await(By by) {
        return new WebDriverWait(web(), UI_WAIT).withMessage(() -> "no " + by + " on " + web().getCurrentUrl() + ": "
                + web().getPageSource()).ignoring(StaleElementReferenceException.class).until(d -> {
            var found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** Waits for {@code condition}; an element replaced meanwhile (the screens re-render) is looked up again. */
    private void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(web(), UI_WAIT).ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "on " + web().getCurrentUrl() + ": " + web().findElement(By.tagName("main")).getText())
                .until(condition::apply);
    }

    private void shot(String name) {
        if (shots != null) {
            browser.screenshot(shots.resolve(name + ".png"));
        }
    }

    private ConsoleCall dial(String number) throws Exception {
        return new ConsoleCall(node, phone, dir.resolve("name.wav"), number, rtp -> calledRtp = rtp);
    }

    private String freshNumber() {
        String n = String.format("+1573556%04d", NUMBERS.incrementAndGet() + (int) (ProcessHandle.current().pid() % 500) * 10);
        node.store().accounts().depositPrepaid(n, new BigDecimal("20.00"));
        return n;
    }

    @Test
    void signInFindACallAndPlayItsRecording() throws Exception {
        CallRecord rec;
        try (ConsoleCall c = dial(freshNumber()).connect(trunk)) {
            Thread.sleep(2000); // two seconds of conversation on the recording
            c.hangUp();
            rec = c.awaitRecord(true);
        }
        // A three-way sign on the call, placed in the recording the way the detector words it.
        node.store().incidents().record(Incident.of(DemoData.FACILITY, rec.inmateId(), rec.callId(),
                Incident.Type.THREE_WAY_SUSPECTED, Instant.now(),
                "three-way attempt: score 0.90; facility action flag; hook flash at 0:01.0 in the recording (0.90);"));
        signIn("ada", PASSWORD);
        await(By.cssSelector("h1"));
        assertTrue(web().getCurrentUrl().endsWith("/console/live"), web().getCurrentUrl());
        assertTrue(web().findElement(By.id("who")).getText().contains("ada"));
        web().get(base + "/console/calls");
        web().findElement(By.id("f-inmate")).sendKeys(rec.inmateId());
        web().findElement(By.id("search-submit")).click();
        By link = By.xpath("//table//td[normalize-space()='" + rec.inmateId() + "']/../td[1]/a");
        await(link);
        waitFor(d -> d.findElements(By.cssSelector("#view tbody tr")).size() == 1);
        shot("call-search");
        web().findElement(link).click();
        WebElement player = await(By.id("player"));
        assertEquals(rec.recordingSha256(), web().findElement(By.id("digest")).getText());
        waitFor(d -> d.findElement(By.id("digest-check")).getText().contains("matches"));
        await(By.id("waveform"));
        assertTrue(await(By.cssSelector("#markers button")).getText().contains("hook flash at 0:01.0"));
        browser.js("arguments[0].play()", player);
        waitFor(d ->
                ((Number) browser.js("return arguments[0].currentTime", player)).doubleValue() > 0.5);
        assertNull(browser.js("return arguments[0].error && arguments[0].error.message", player));
        shot("call-detail");
    }

    @Test
    void listenToALiveCall() throws Exception {
        try (ConsoleCall c = dial(freshNumber()).connect(trunk)) {
            signIn("ivy", PASSWORD);
            await(By.id("refresh")).click();
            WebElement listen = await(By.xpath("//tr[td[normalize-space()='" + c.inmate + "']]//button[@class='listen']"));
            listen.click();
            waitFor(d ->
                    Integer.parseInt(d.findElement(By.id("listen-frames")).getText()) >= 50);
            shot("live-calls");
            web().findElement(By.id("listen-stop")).click();
            c.hangUp();
        }
    }

    @Test
    void liftABlockAndTheNextCallGoesThrough() throws Exception {
        String number = freshNumber();
        node.store().blocks().add(Block.of(number, DemoData.FACILITY, Block.Type.KEYPAD, null, "family", Instant.now(),
                "asked by the family"));
        try (ConsoleCall c = dial(number)) {
            CallRecord r = c.awaitRecord(false);
            assertEquals(CallOutcome.DENIED, r.outcome(), "blocked: " + r.reason());
        }
        assertNull(trunk.awaitIncomingCall(Duration.ofMillis(200)), "a blocked call never reaches the trunk");

        signIn("cass", PASSWORD);
        await(By.linkText("Blocks")).click();
        web().findElement(By.id("f-number")).sendKeys(number);
        web().findElement(By.cssSelector("#search button[type=submit]")).click();
        waitFor(d -> d.findElements(By.cssSelector("#view tbody tr")).size() == 1
                && !d.findElements(By.cssSelector("form.lift[data-number='" + number + "']")).isEmpty());
        WebElement reason = await(By.cssSelector("form.lift[data-number='" + number + "'] input[name=reason]"));
        shot("blocks");
        reason.sendKeys("family paid the balance");
        reason.submit();
        waitFor(d -> d.findElement(By.id("status")).getText().contains("lifted"));
        assertTrue(node.store().blocks().list(number, null, null, true).isEmpty(), "the block is lifted");
        assertTrue(node.store().audit().list(null, "number:" + number, null, null, 10).stream().anyMatch(a ->
                a.action().equals("block.lift") && a.actor().endsWith("(cass)") && a.details().contains("family paid")));

        try (ConsoleCall c = dial(number).connect(trunk)) {
            c.hangUp();
            assertEquals(CallOutcome.COMPLETED, c.awaitRecord(false).outcome());
        }
    }

    @Test
    void anInvestigatorNeverSeesAPrivilegedCall() throws Exception {
        CallRecord privileged;
        try (ConsoleCall c = dial("+15735550199").connect(trunk)) {
            c.hangUp();
            privileged = c.awaitRecord(false);
        }
        assertTrue(privileged.privileged());
        signIn("ivy", PASSWORD);
        await(By.linkText("Call search")).click();
        web().findElement(By.id("f-inmate")).sendKeys(privileged.inmateId());
        web().findElement(By.id("search-submit")).click();
        waitFor(d -> d.findElement(By.id("view")).getText().contains("Nothing to show"));
        web().get(base + "/console/calls/" + java.net.URLEncoder.encode(privileged.callId(), java.nio.charset.StandardCharsets.UTF_8));
        waitFor(d -> d.findElement(By.id("status")).getText().contains("no call"));
        assertTrue(web().findElements(By.id("player")).isEmpty());

        web().manage().deleteAllCookies();
        signIn("ada", PASSWORD);
        web().get(base + "/console/calls");
        web().findElement(By.id("f-inmate")).sendKeys(privileged.inmateId());
        web().findElement(By.id("search-submit")).click();
        await(By.xpath("//table//td[normalize-space()='" + privileged.inmateId() + "']"));
    }

    @Test
    void everyScreenWorksForAnAdminAndTheIncidentQueueTakesAcknowledgementsAndNotes() {
        String btn = freshNumber();
        Incident inc = node.store().incidents().record(Incident.of(DemoData.FACILITY, null, null,
                Incident.Type.OTHER, Instant.now(), "console test incident " + btn));
        signIn("ada", PASSWORD);
        web().get(base + "/console/incidents");
        WebElement ack = await(By.xpath("//button[@aria-label='Acknowledge incident " + inc.id() + "']"));
        ack.click();
        waitFor(d -> d.findElement(By.id("status")).getText().contains("acknowledged"));
        WebElement note = await(By.id("note-" + inc.id()));
        note.sendKeys("called the unit officer");
        note.submit();
        waitFor(d -> d.findElement(By.id("view")).getText().contains("called the unit officer"));
        shot("incidents");
        assertTrue(node.store().audit().list(null, "incident:" + inc.id(), null, null, 10).stream()
                .anyMatch(a -> a.action().equals("incident.acknowledge") && a.actor().endsWith("(ada)")));

        web().get(base + "/console/accounts");
        web().findElement(By.id("f-btn")).sendKeys(btn);
        web().findElement(By.cssSelector("#search button[type=submit]")).click();
        assertTrue(await(By.id("balance")).getText().contains("20.00"));
        web().findElement(By.id("f-amount")).sendKeys("5.00");
        web().findElement(By.id("deposit-submit")).click();
        waitFor(d -> d.findElement(By.id("balance")).getText().contains("25.00"));
        shot("accounts");

        web().get(base + "/console/inmates");
        web().findElement(By.id("f-facility")).sendKeys(DemoData.FACILITY);
        web().findElement(By.cssSelector("#search button[type=submit]")).click();
        await(By.cssSelector("#view table"));
        web().findElement(By.id("i-id")).sendKeys("A1001");
        web().findElement(By.id("i-pin")).sendKeys("12");
        web().findElement(By.id("i-submit")).click();
        // The API's validation problem names the field: the message sits next to it, and focus moves there.
        assertTrue(await(By.id("i-pin-error")).getText().contains("pin"));
        assertEquals("true", web().findElement(By.id("i-pin")).getAttribute("aria-invalid"));
        shot("inmates");

        web().get(base + "/console/facility");
        web().findElement(By.id("f-facility")).sendKeys(DemoData.FACILITY);
        web().findElement(By.cssSelector("#search button[type=submit]")).click();
        WebElement longest = await(By.id("r-maxCallMinutes"));
        longest.clear();
        longest.sendKeys("999");
        web().findElement(By.id("r-submit")).click();
        assertTrue(await(By.id("r-maxCallMinutes-error")).getText().contains("maxCallMinutes"));
        longest = web().findElement(By.id("r-maxCallMinutes"));
        longest.clear();
        longest.sendKeys("20");
        web().findElement(By.id("r-submit")).click();
        waitFor(d -> d.findElement(By.id("status")).getText().contains("Rules saved"));
        assertEquals(20, node.store().facilities().get(DemoData.FACILITY).orElseThrow().maxCallMinutes());
        web().findElement(By.id("st-id")).sendKeys("console-st-" + inc.id());
        web().findElement(By.id("st-submit")).click();
        await(By.xpath("//td[normalize-space()='console-st-" + inc.id() + "']"));
        shot("facility");

        web().get(base + "/console/audit");
        await(By.xpath("//td[normalize-space()='incident.acknowledge']"));
        shot("audit-log");
        web().get(base + "/console/staff");
        await(By.xpath("//td[normalize-space()='lockme']"));
        shot("staff");
        web().manage().deleteAllCookies();
        web().get(base + "/console/login");
        shot("sign-in");
    }

    @Test
    void wrongPasswordsLockTheAccount() {
        for (int i = 1; i < MAX_FAILED; i++) {
            signIn("lockme", "not the password " + i);
            assertEquals("Wrong username or password.", await(By.id("signin-error")).getText());
        }
        signIn("lockme", "not the password either");
        assertTrue(await(By.id("signin-error")).getText().contains("locked"), web().getPageSource());
        shot("sign-in-locked");
        signIn("lockme", PASSWORD);
        assertTrue(await(By.id("signin-error")).getText().contains("locked"), "the right password is refused too");
        assertFalse(web().getCurrentUrl().contains("/console/live"));
        assertTrue(node.store().staff().byUsername("lockme").orElseThrow().lockedAt(Instant.now()));
    }
}
