package io.kinline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kinline.KinlineSwitch;
import io.kinline.admin.ActiveCallView;
import io.kinline.store.CallQuery;
import io.kinline.store.CallRecord;
import io.kinline.store.DemoData;
import io.kinline.store.Inmate;
import io.kinline.store.Station;
import io.kinline.tests.peer.ClientCall;
import io.kinline.tests.peer.ServerCall;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.rtp.AudioSource;
import io.kinline.tests.rtp.RtpPeer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One inmate call through the real switch from a JAIN-SIP handset to a JAIN-SIP trunk, with RTP on both
 * legs and PIN and consent by DTMF; the inmate and station are fresh for each call, so the call's record is
 * found by its inmate (the record's id format is not this test's business).
 */
final class ConsoleCall implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final double HEARD_DBOV = -45;
    private static final AtomicInteger SEQ = new AtomicInteger();

    final KinlineSwitch node;
    final String inmate;
    final String pin;
    final RtpPeer handset = RtpPeer.open();
    final RtpPeer called = RtpPeer.open();
    ClientCall call;

    /** Sets up the station and inmate and dials {@code number}; returns once the switch answered. */
    ConsoleCall(KinlineSwitch node, SipPeer phone, Path namePrompt, String number,
                Consumer<RtpPeer> calledParty) throws Exception {
        this.node = node;
        int n = SEQ.incrementAndGet() + (int) (ProcessHandle.current().pid() % 1000) * 10;
        String station = "38" + String.format("%05d", n);
        node.store().facilities().createStation(new Station(station, DemoData.FACILITY, Station.Kind.HANDSET, null));
        inmate = "C" + String.format("%06d", n);
        pin = Integer.toString(7000 + SEQ.get());
        node.store().inmates().create(Inmate.of(inmate, DemoData.FACILITY, "Console " + inmate, "en", "gen")
                .withNamePromptPath(namePrompt.toAbsolutePath().toString()), pin);
        node.store().accounts().depositDebit(inmate, new BigDecimal("10.00"));
        calledParty.accept(called);
        String sip = "127.0.0.1:" + node.sipUdpAddress().getPort();
        call = phone.call("sip:" + number + "@" + sip, station, handset.offer());
        assertEquals(200, call.awaitFinalStatus(WAIT), "the switch answers the handset");
        handset.acceptAnswer(call.remoteSdp());
        handset.startSending();
        assertTrue(handset.awaitAudio(HEARD_DBOV, WAIT), "the handset hears the PIN prompt");
        handset.sendDigits(pin).get(10, TimeUnit.SECONDS);
    }

    /** The called party answers, hears the greeting, accepts with 1; returns once the call is talking. */
    ConsoleCall connect(SipPeer trunk) throws Exception {
        ServerCall b = trunk.awaitIncomingCall(Duration.ofSeconds(60));
        assertTrue(b != null, "the switch calls the called party");
        assertTrue(called.awaitAudio(HEARD_DBOV, WAIT), "the called party hears the greeting");
        called.sendDigits("1").get(10, TimeUnit.SECONDS);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            for (ActiveCallView v : node.b2bua().list()) {
                if (inmate.equals(v.inmateId()) && "talking".equals(v.state()) && v.acceptedAt() != null) {
                    handset.play(AudioSource.tone(500, 8000));
                    called.play(AudioSource.tone(1300, 8000));
                    return this;
                }
            }
            Thread.sleep(100);
        }
        fail("the call of " + inmate + " never connected; live calls: " + node.b2bua().list());
        return this;
    }

    /** The call's record once it has ended (and, if {@code recorded}, once its recording is sealed). */
    CallRecord awaitRecord(boolean recorded) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            List<CallRecord> r = node.store().calls().search(new CallQuery(null, null, inmate, null, null, null, null, 10));
            Optional<CallRecord> done = r.stream().filter(c -> c.endedAt() != null
                    && (!recorded || c.recordingSha256() != null)).findFirst();
            if (done.isPresent()) {
                return done.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ended call record for " + inmate);
    }

    void hangUp() {
        call.bye();
    }

    @Override
    public void close() {
        handset.close();
        called.close();
    }
}
