package io.kinline.demo;

import io.kinline.KinlineSwitch;
import io.kinline.config.KinlineConfig;
import io.kinline.media.MediaConfig;
import io.kinline.media.prompt.FilePromptLibrary;
import io.kinline.media.prompt.Playlist;
import io.kinline.media.rtp.NettyMediaEngine;
import io.kinline.sip.InboundCall;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * {@code kinline demo}: three scripted calls between built-in SIP phones over loopback, against an
 * in-process switch or a running one. Each step is printed; the call records are read back and checked.
 *
 * <ol>
 *   <li>handset 1001 enters PIN 1234 and dials 573-555-0100; the called party presses 1, they talk, the handset
 *       hangs up: {@code completed}, charged, recorded;</li>
 *   <li>dials 314-555-0122; the called party presses 9 then 9: {@code blocked_by_called_party}. The demo lifts
 *       that keypad block afterwards so it can run again;</li>
 *   <li>dials 1-800-555-0100: {@code denied}, {@code toll_free}; the called party's phone never rings.</li>
 * </ol>
 */
public final class Demo {

    public static final String STATION = "1001";
    public static final String PIN = "1234";
    public static final String ACCEPT_NUMBER = "5735550100";
    public static final String BLOCK_NUMBER = "3145550122";
    public static final String BLOCK_E164 = "+1" + BLOCK_NUMBER;
    public static final String TOLL_FREE_NUMBER = "18005550100";

    /** Quiet after sound that ends a prompt; prompts have inner pauses of up to about half a second. */
    private static final Duration PROMPT_GAP = Duration.ofMillis(1200);
    /** Bound on each wait, far above what the step takes (the machine may be loaded). */
    private static final Duration STEP_BOUND = Duration.ofSeconds(45);
    /** RTP ports of the demo's phones, apart from the switch's 20000-29999. */
    private static final int PHONE_PORT_MIN = 31000;
    private static final int PHONE_PORT_MAX = 31999;

    /**
     * One scripted call and how it ended.
     *
     * @param callId   the switch's id of the call (its record's); the handset's SIP Call-ID when no record came
     * @param answered whether the switch answered the handset's INVITE at all
     * @param problem  why the call did not end as expected, or null
     */
    public record CallResult(int number, String title, String callId, boolean answered, Optional<Cdr> record,
                             String problem) {
        public boolean asExpected() {
            return problem == null;
        }
    }

    /** All calls of one run. */
    public record Result(List<CallResult> calls) {
        public boolean ok() {
            return calls.size() == 3 && calls.stream().allMatch(CallResult::asExpected);
        }
    }

    private enum Plan { ACCEPT, BLOCK, DENIED }

    private static final String NOT_ANSWERED = "not answered";

    private final DemoOptions options;
    private final PrintStream out;

    private Demo(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the demo, printing each step to {@code out}. Throws {@link IllegalStateException} with a plain
     * message when it cannot start.
     *
     * <p>Without a target, if a switch already holds the data directory's database (the README's quick start:
     * {@code kinline run} in one terminal, {@code kinline demo} in another), the demo calls that switch on the
     * default addresses instead of failing.
     */
    public static Result run(DemoOptions options, PrintStream out) throws Exception {
        DemoOptions o = options;
        if (o.target() == null && databaseInUse(o.dataDir())) {
            o = new DemoOptions(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5060),
                    o.calledPartyPort() == 0 ? 5080 : o.calledPartyPort(), o.admin(), o.token(), o.dataDir(),
                    o.talkSeconds());
            out.println("A running switch holds " + show(o.dataDir()) + " (kinline run?): calling it on "
                    + hostPort(o.target()) + " (use --target HOST:PORT for another address).");
        }
        return new Demo(o, out).run();
    }

    /** Whether another process has the embedded database of {@code dataDir} open (H2 locks its file). */
    static boolean databaseInUse(Path dataDir) {
        Path db = dataDir.resolve("db").resolve("kinline.mv.db");
        if (!Files.isRegularFile(db)) {
            return false;
        }
        try (var ch = java.nio.channels.FileChannel.open(db, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            var lock = ch.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true; // this very process has it open
        } catch (IOException e) {
            return false; // let the switch's own start report the problem
        }
    }

    private Result run() throws Exception {
        var prompts = FilePromptLibrary.loadFromClasspath(FilePromptLibrary.CLASSPATH_ROOT, "en");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            NettyMediaEngine phones = NettyMediaEngine.create(MediaConfig.builder()
                    .portRange(PHONE_PORT_MIN, PHONE_PORT_MAX)
                    .inbandDtmf(false) // the phones only listen for prompts and the beep
                    .eventLoopThreads(1)
                    .build(), prompts);
            open.add(phones);

            InetSocketAddress calledBind = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    options.target() == null ? options.calledPartyPort() : portOr(options.calledPartyPort(), 5080));
            CalledParty called = new CalledParty(calledBind, phones);
            InetSocketAddress calledAt;
            try {
                calledAt = called.start();
            } catch (IllegalStateException e) {
                throw new IllegalStateException("the called party's phone cannot listen on " + hostPort(calledBind)
                        + " (" + rootMessage(e) + ")");
            }
            open.add(called);

            InetSocketAddress switchAt;
            RecordSource records;
            if (options.target() == null) {
                KinlineSwitch node = startSwitch(calledAt);
                open.add(node);
                switchAt = node.sipUdpAddress();
                records = new StoreRecords(node.store(), "the store in " + show(node.dataDir()));
                out.println("Started a switch in this process: SIP " + hostPort(switchAt) + ", data "
                        + show(node.dataDir()) + ".");
                out.println("The called party's phone listens on " + hostPort(calledAt)
                        + ", where the switch's carrier trunk points.");
            } else {
                switchAt = options.target();
                records = apiRecords();
                out.println("Calling the switch at " + hostPort(switchAt) + "; its trunk must point at the called "
                        + "party's phone on " + hostPort(calledAt) + " (kinline run --trunk " + hostPort(calledAt) + ").");
                out.println("Call records: " + records.describe() + ".");
            }
            open.add(records);

            Handset handset = new Handset(switchAt, phones);
            handset.start();
            open.add(handset);

            int lifted = records.liftKeypadBlocks(BLOCK_E164);
            if (lifted > 0) {
                out.println("Lifted the keypad block on " + BLOCK_E164 + " left by an earlier run.");
            }
            out.println("Handset " + STATION + " is used by inmate A1001 (John Doe, PIN " + PIN + ").");
            out.println();

            List<CallResult> results = new ArrayList<>();
            results.add(call(1, "accepted call", Plan.ACCEPT, ACCEPT_NUMBER, handset, called, records));
            if (!results.get(0).answered()) {
                // No switch there, or it refuses the handset: the other calls would only wait the same way.
                return new Result(List.copyOf(results));
            }
            results.add(call(2, "blocked by the called party", Plan.BLOCK, BLOCK_NUMBER, handset, called, records));
            results.add(call(3, "toll-free number", Plan.DENIED, TOLL_FREE_NUMBER, handset, called, records));

            if (records.liftKeypadBlocks(BLOCK_E164) > 0) {
                out.println("Lifted the keypad block call 2 set on " + BLOCK_E164 + ", so the demo can run again.");
            } else if (!records.available()) {
                out.println("Could not lift the keypad block call 2 set on " + BLOCK_E164
                        + " (no admin API access); lift it with DELETE /api/blocks/%2B" + BLOCK_E164.substring(1)
                        + " before running the demo again.");
            }
            return new Result(List.copyOf(results));
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    // closing is best effort; the demo's outcome is already known
                }
            }
        }
    }

    private KinlineSwitch startSwitch(InetSocketAddress calledAt) throws KinlineConfig.ConfigException {
        KinlineConfig cfg = KinlineConfig.load(null);
        cfg.store.dataDir = options.dataDir().toString();
        cfg.sip.port = 0;       // free ports: a switch may already run on the defaults
        cfg.admin.port = 0;
        cfg.sip.trunk.address = hostPort(calledAt);
        try {
            return new KinlineSwitch(cfg).start();
        } catch (RuntimeException e) {
            String why = rootMessage(e);
            if (why != null && why.toLowerCase(java.util.Locale.ROOT).contains("lock")) {
                throw new IllegalStateException("the database in " + show(options.dataDir()) + " is in use, probably "
                        + "by a running switch: use kinline demo --target 127.0.0.1:5060, or another --data-dir");
            }
            throw new IllegalStateException("cannot start the switch: " + why, e);
        }
    }

    private RecordSource apiRecords() throws InterruptedException {
        String token = options.token();
        Path tokenFile = options.dataDir().resolve("admin-token");
        if (token == null && Files.isReadable(tokenFile)) {
            try {
                token = Files.readString(tokenFile).trim();
            } catch (IOException e) {
                token = null;
            }
        }
        if (token == null || token.isEmpty()) {
            return RecordSource.none("none: no --token and no readable " + show(tokenFile)
                    + "; only what the phones saw is shown");
        }
        String admin = options.admin() != null ? options.admin() : "127.0.0.1:8080";
        ApiRecords api = new ApiRecords(admin, token,
                Files.isDirectory(options.dataDir()) ? options.dataDir().toAbsolutePath() : null);
        api.check();
        return api;
    }

    // ---- one call -------------------------------------------------------------------------------

    private CallResult call(int n, String title, Plan plan, String number, Handset handset, CalledParty called,
                            RecordSource records) throws Exception {
        Narrator say = new Narrator(out, n);
        say.line("--- " + title + " ---");
        CompletableFuture<InboundCall> ring = called.expect();
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        CompletableFuture<String> calledSaw = new CompletableFuture<>();
        say.line("handset " + STATION + " picks up and dials " + number);
        Handset.Call c = handset.dial(STATION, number);
        Thread calledSide = plan == Plan.DENIED ? null
                : Thread.ofVirtual().name("demo-called-" + n).start(() -> calledParty(say, plan, called, ring, c,
                        accepted, calledSaw));
        String handsetSaw = handsetSide(say, c, accepted);
        if (calledSide != null) {
            calledSide.join(STEP_BOUND.toMillis());
            if (calledSide.isAlive()) {
                calledSide.interrupt();
                calledSide.join(2000);
            }
        }
        called.expectNone();
        boolean rung = ring.isDone() && !ring.isCompletedExceptionally();
        if (handsetSaw.startsWith(NOT_ANSWERED)) {
            String problem = "the switch at " + hostPort(handset.switchAddress()) + " did not answer the handset ("
                    + handsetSaw.substring(NOT_ANSWERED.length() + 2) + ")";
            out.println();
            return new CallResult(n, title, c.callId(), false, Optional.empty(), problem);
        }
        Optional<Cdr> record = records.await(c.callId(), Duration.ofSeconds(15));
        record.ifPresentOrElse(r -> say.line("record: " + describe(r)),
                () -> say.line(records.available() ? "no call record appeared for " + c.callId()
                        : "call " + c.callId() + " (no access to call records)"));
        String problem = check(plan, record, records.available(), handsetSaw, calledSaw.getNow(null), rung);
        if (problem != null) {
            say.line("NOT AS EXPECTED: " + problem);
        }
        out.println();
        // The switch's id of the call (its record's), not the handset's SIP Call-ID.
        return new CallResult(n, title, record.map(Cdr::callId).orElse(c.callId()), true, record, problem);
    }

    /**
     * The handset's side: wait for the PIN prompt, key the PIN, say the name if asked (first call of an inmate
     * with no recorded name), talk once accepted, hang up. Returns what the handset saw in the end.
     */
    private String handsetSide(Narrator say, Handset.Call c, CompletableFuture<Void> accepted) throws Exception {
        try {
            c.answered.get(STEP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            String why = c.ended.getNow("no answer");
            say.line("switch did not answer the handset: " + why);
            return NOT_ANSWERED + ": " + why;
        }
        Phone phone = c.phone;
        long mark = phone.ears().mark();
        if (!waitFor(() -> phone.ears().promptEnded(mark, Duration.ofMillis(700)) || c.ended.isDone(),
                Duration.ofSeconds(15)) && !c.ended.isDone()) {
            say.line("switch answers; no prompt heard, sending the PIN anyway");
        } else if (c.ended.isDone()) {
            say.line("switch answered and hung up at once (" + c.ended.getNow("") + ")");
            return "hung up before the PIN";
        } else {
            say.line("switch answers: \"Please enter your PIN\" → handset sends " + PIN);
        }
        phone.press(PIN);
        long pinSent = System.nanoTime();
        boolean named = false;
        long giveUp = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!c.ended.isDone() && !accepted.isDone() && System.nanoTime() - giveUp < 0) {
            if (!named && phone.ears().beepSince(pinSent)) {
                named = true;
                waitFor(() -> phone.ears().quietFor(Duration.ofMillis(100)), Duration.ofSeconds(2));
                say.line("switch: \"Say your name after the tone\" (beep) → handset says its name, presses #");
                Phone.await(phone.say(Playlist.in("en").digits("1001").build()), Duration.ofSeconds(5));
                phone.press("#");
            }
            Thread.sleep(20);
        }
        if (accepted.isDone() && !c.ended.isDone()) {
            Thread.sleep(300); // the switch bridges on the digit
            say.line("talking " + options.talkSeconds() + " s (handset counts in English, called party in Spanish)");
            phone.say(counting("en", 0));
            boolean cut = waitFor(c.ended::isDone, Duration.ofSeconds(options.talkSeconds()));
            if (cut) {
                say.line("the call ended while talking: " + c.ended.getNow(""));
                return "cut while talking";
            }
            say.line("handset hangs up");
            c.hangUp();
            waitFor(c.ended::isDone, Duration.ofSeconds(5));
            return "hung up after talking";
        }
        if (c.ended.isDone()) {
            say.line("switch hangs up on the handset");
            return "switch hung up";
        }
        say.line("nothing happened for two minutes; handset hangs up");
        c.hangUp();
        return "gave up";
    }

    /** The called party's side: answer, listen to the greeting, press 1 (then talk) or 9, 9. */
    private void calledParty(Narrator say, Plan plan, CalledParty called, CompletableFuture<InboundCall> ring,
                             Handset.Call handset,
                             CompletableFuture<Void> accepted, CompletableFuture<String> saw) {
        try {
            InboundCall invite = null;
            long giveUp = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (invite == null && !handset.ended.isDone() && System.nanoTime() - giveUp < 0) {
                try {
                    invite = ring.get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // keep waiting
                }
            }
            if (invite == null) {
                saw.complete("never rang");
                return;
            }
            say.line("called party's phone rings: " + invite.requestUser() + ", caller ID " + invite.fromUser());
            Thread.sleep(1000);
            CalledParty.Answered a = called.answer(invite, Duration.ofSeconds(20));
            Phone phone = a.phone;
            say.line("called party answers");
            long mark = phone.ears().mark();
            boolean heard = waitFor(() -> phone.ears().promptEnded(mark, PROMPT_GAP) || a.ended.isDone(), STEP_BOUND);
            if (a.ended.isDone() || !heard) {
                saw.complete("no greeting");
                say.line("called party heard no greeting" + (a.ended.isDone() ? "; the switch hung up" : ""));
                a.hangUp();
                return;
            }
            if (plan == Plan.ACCEPT) {
                say.line("called party hears the greeting (\"…press 1 to accept this call\"), presses 1");
                phone.press("1");
                accepted.complete(null);
                phone.say(counting("es", 500));
                waitFor(a.ended::isDone, Duration.ofSeconds(options.talkSeconds() + 30));
                saw.complete("accepted");
                return;
            }
            say.line("called party hears the greeting (\"…press 9 to block calls from this facility\"), presses 9");
            phone.press("9");
            long mark2 = phone.ears().mark();
            waitFor(() -> phone.ears().promptEnded(mark2, PROMPT_GAP) || a.ended.isDone(), STEP_BOUND);
            if (a.ended.isDone()) {
                saw.complete("hung up after 9");
                return;
            }
            say.line("switch: \"press 9 again to confirm the block\" → called party presses 9");
            phone.press("9");
            boolean hungUp = waitFor(a.ended::isDone, STEP_BOUND);
            say.line(hungUp ? "switch: \"This number is now blocked… goodbye\", hangs up on the called party"
                    : "the switch did not hang up on the called party");
            saw.complete(hungUp ? "blocked" : "not hung up");
        } catch (InterruptedException e) {
            saw.complete("interrupted");
        } catch (Exception e) {
            say.line("called party's phone failed: " + e.getMessage());
            saw.complete("failed");
        }
    }

    /** "one … ten" with pauses, about a second per number; {@code leadMillis} offsets the two speakers. */
    private Playlist counting(String language, int leadMillis) {
        Playlist.Builder b = Playlist.in(language);
        if (leadMillis > 0) {
            b.silence(leadMillis);
        }
        for (int i = 1; i <= options.talkSeconds(); i++) {
            b.number(i).silence(550);
        }
        return b.build();
    }

    private static String check(Plan plan, Optional<Cdr> record, boolean canRead, String handsetSaw, String calledSaw,
                                boolean rung) {
        if (canRead && record.isEmpty()) {
            return "no call record";
        }
        switch (plan) {
            case ACCEPT -> {
                if (record.isPresent()) {
                    Cdr r = record.get();
                    if (!"completed".equals(r.outcome())) {
                        return "expected outcome completed, got " + r.outcome() + hint(r);
                    }
                    if (r.charge() == null || r.charge().signum() <= 0) {
                        return "a completed call must be charged";
                    }
                    if (r.recording() == null) {
                        return "a completed call must be recorded";
                    }
                    return null;
                }
                return "hung up after talking".equals(handsetSaw) ? null : "the handset " + handsetSaw;
            }
            case BLOCK -> {
                if (record.isPresent()) {
                    Cdr r = record.get();
                    return "blocked_by_called_party".equals(r.outcome()) ? null
                            : "expected outcome blocked_by_called_party, got " + r.outcome() + hint(r);
                }
                return "blocked".equals(calledSaw) ? null : "the called party's phone: " + calledSaw;
            }
            case DENIED -> {
                if (rung) {
                    return "the called party's phone rang for a toll-free number";
                }
                if (record.isPresent()) {
                    Cdr r = record.get();
                    return "denied".equals(r.outcome()) && "toll_free".equals(r.reason()) ? null
                            : "expected denied (toll_free), got " + r.outcome() + " (" + r.reason() + ")";
                }
                return "switch hung up".equals(handsetSaw) ? null : "the handset " + handsetSaw;
            }
            default -> throw new IllegalStateException();
        }
    }

    private static String hint(Cdr r) {
        String reason = r.reason() == null ? "" : " (" + r.reason() + ")";
        if ("daily_limit".equals(r.reason())) {
            return reason + ": A1001 has used today's calls; use another --data-dir or wait until midnight";
        }
        return reason;
    }

    private static String describe(Cdr r) {
        StringBuilder b = new StringBuilder(r.outcome());
        if (r.reason() != null) {
            b.append(" (").append(r.reason()).append(')');
        }
        if (r.charge() != null && r.charge().signum() > 0) {
            if (r.funding() != null) {
                b.append(", ").append(r.funding());
            }
            b.append(", billed ").append(r.billedSeconds()).append(" s, $")
                    .append(r.charge().setScale(2, java.math.RoundingMode.HALF_UP));
        } else {
            b.append(", not charged");
        }
        if (r.recording() != null) {
            b.append(", recording ").append(r.recording().startsWith("http") ? r.recording() : show(Path.of(r.recording())));
        }
        return b.toString();
    }

    /** Polls {@code condition} every 20 ms for at most {@code bound}; returns whether it became true. */
    static boolean waitFor(BooleanSupplier condition, Duration bound) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static int portOr(int port, int dflt) {
        return port == 0 ? dflt : port;
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** A path relative to the working directory when it is under it (shorter to read), else absolute. */
    static String show(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? "./" + cwd.relativize(abs) : abs.toString();
    }

    /** Prints one call's steps, prefixed with the call number; safe from both phones' threads. */
    private record Narrator(PrintStream out, int call) {
        void line(String text) {
            synchronized (out) {
                out.println("[call " + call + "] " + text);
                out.flush();
            }
        }
    }

    /** The innermost message of a chain of exceptions: the plain reason. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
