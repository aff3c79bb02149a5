package io.kinline.crash;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.tests.peer.ClientCall;
import io.kinline.tests.peer.ServerCall;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.peer.UasBehaviour;
import io.kinline.tests.rtp.AudioSource;
import io.kinline.tests.rtp.RtpPeer;
import java.time.Duration;
import java.time.Instant;

/**
 * One demo inmate call driven from outside the switch: handset 1001 (JAIN-SIP + RTP, 440 Hz tone,
 * PIN {@code 1234#} as RFC 4733) calls the prepaid BTN; the trunk peer answers as the called party
 * (RTP, 1000 Hz tone) and accepts with {@code 1}. Or a call stopped in the IVR
 * ({@link #offhookToPinPrompt}, {@link #enterPin}). Progress is read from {@code GET /api/calls}.
 */
final class InmateCallDriver implements AutoCloseable {

    static final String BTN = "+15735550100";
    static final double INMATE_HZ = 440;
    static final double CALLED_HZ = 1000;

    private final SwitchProcess sw;
    private final SipPeer trunk;
    final SipPeer phone;
    final RtpPeer handsetRtp;
    final RtpPeer calledRtp;
    ClientCall call;
    ServerCall calledLeg;
    /** The Call-ID the handset's INVITE carries; null for a fresh one. */
    String callIdOverride;
    /** The switch's call id, learnt from the live call list while the call is up. */
    private String serverId;

    /** {@code trunk} is the switch's trunk peer (its port was given to {@code --trunk}); it answers after 300 ms. */
    InmateCallDriver(SwitchProcess sw, SipPeer trunk) throws Exception {
        this.sw = sw;
        this.trunk = trunk;
        this.phone = SipPeer.builder().name("handset").build();
        this.handsetRtp = RtpPeer.open();
        this.calledRtp = RtpPeer.open();
        trunk.behaviour(UasBehaviour.answer(300, calledRtp::answer));
    }

    /** The switch's id of this call (its record, recording and live entry), as {@code GET /api/calls} showed it. */
    String callId() {
        if (serverId == null) {
            JsonNode live = sw.liveCall(call.callId());
            if (live == null) {
                throw new AssertionError("call " + call.callId() + " is not live: its server id is unknown");
            }
            serverId = live.path("callId").asText();
        }
        return serverId;
    }

    /** The SIP Call-ID of the handset's INVITE. */
    String sipCallId() {
        return call.callId();
    }

    /** Dials, enters the PIN, says a name, and waits until the called party hears the consent greeting. */
    InmateCallDriver dialToGreeting() throws InterruptedException {
        return dialToGreeting("1001", "1234");
    }

    /** As {@link #dialToGreeting()} from another demo station with another inmate's PIN. */
    InmateCallDriver dialToGreeting(String station, String pin) throws InterruptedException {
        offhook(station, BTN);
        Thread.sleep(300);
        handsetRtp.sendDigits(pin + "#", 120, 80); // typed ahead of the enter-pin prompt: still collected
        awaitState("greeting", Duration.ofSeconds(90));
        calledLeg = trunk.awaitIncomingCall(Duration.ofSeconds(10));
        if (calledLeg == null) {
            throw new AssertionError("greeting without a call on the trunk");
        }
        calledRtp.play(AudioSource.tone(CALLED_HZ, 8000)).startSending();
        return this;
    }

    /**
     * Station {@code station} goes off-hook calling {@code requestUser} (a number, or anything else to be
     * asked for one) and waits until the switch speaks to it: the PIN prompt, the demo facility having no
     * language menu. Nothing is entered; the call is live and still before the PIN ({@code offhook}).
     */
    InmateCallDriver offhookToPinPrompt(String station, String requestUser) throws InterruptedException {
        offhook(station, requestUser);
        if (!handsetRtp.awaitAudio(-40, Duration.ofSeconds(20))) {
            throw new AssertionError("handset " + station + " heard no prompt\n" + sw.logTail());
        }
        awaitState("offhook", Duration.ofSeconds(5));
        return this;
    }

    /**
     * Station {@code station} goes off-hook calling {@code requestUser}, types {@code keys} ahead (RFC 4733) and
     * waits (30 s at most) until the switch ends the call with a BYE. Returns the call's record.
     */
    JsonNode offhookTypeAndAwaitEnd(String station, String requestUser, String keys) throws InterruptedException {
        offhook(station, requestUser);
        Thread.sleep(300);
        handsetRtp.sendDigits(keys, 120, 80);
        if (call.awaitRequest("BYE", Duration.ofSeconds(30)) == null) {
            throw new AssertionError("the switch did not end the call from " + station + "\n" + sw.logTail());
        }
        return sw.awaitCdrBySipCallId(call.callId());
    }

    /** Types {@code keys} (RFC 4733) into a call in the IVR, without waiting for anything. */
    void type(String keys) {
        handsetRtp.sendDigits(keys, 120, 80);
    }

    /** Enters a PIN (RFC 4733) and waits until the switch has accepted it and asks for the number. */
    InmateCallDriver enterPin(String keys) throws InterruptedException {
        handsetRtp.sendDigits(keys, 120, 80);
        awaitState("number-lookup", Duration.ofSeconds(30));
        return this;
    }

    /** The INVITE, the switch's 200 OK (after its station check), and the handset's audio (440 Hz) from then on. */
    private void offhook(String station, String requestUser) {
        call = phone.call(sw.sipUri(requestUser), station, handsetRtp.offer(), java.util.Map.of(), callIdOverride);
        int status = call.awaitFinalStatus(Duration.ofSeconds(30));
        if (status != 200) {
            throw new AssertionError("the switch answered the handset with " + status + "\n" + sw.logTail());
        }
        handsetRtp.acceptAnswer(call.remoteSdp());
        handsetRtp.play(AudioSource.tone(INMATE_HZ, 8000)).startSending();
    }

    /**
     * Presses 1 (accept) and waits for the bridge; returns acceptedAt as the switch reports it. The demo
     * facility plays its notice (who is calling, that the call is recorded) to its end before the consent
     * menu takes keys ({@code consentDuringNotice} false), and the notice's length depends on the recorded
     * name: so the called party presses 1 again every few seconds, as a person would, until the call is
     * bridged. Not sooner: a 1 that arrived after acceptance would be a digit during the call.
     */
    Instant acceptAndAwaitTalking() throws InterruptedException {
        Thread.sleep(500); // into the greeting
        JsonNode live = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (live == null) {
            calledRtp.sendDigits("1", 160, 0);
            try {
                live = awaitState("talking", Duration.ofSeconds(3));
            } catch (AssertionError stillGreeting) {
                if (System.nanoTime() > deadline || sw.liveCall(call.callId()) == null) {
                    throw stillGreeting;
                }
            }
        }
        String accepted = live.path("acceptedAt").asText(null);
        if (accepted == null || accepted.isEmpty() || "null".equals(accepted)) {
            // The view is updated just before the bridge sets acceptedAt: ask again.
            Thread.sleep(200);
            live = awaitState("talking", Duration.ofSeconds(5));
            accepted = live.path("acceptedAt").asText(null);
        }
        return Instant.parse(accepted);
    }

    /** Polls {@code GET /api/calls} until this call is in {@code state}; fails if it ends first. */
    JsonNode awaitState(String state, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        String last = "(never listed)";
        boolean seen = false;
        while (System.nanoTime() < deadline) {
            JsonNode c = serverId != null ? sw.liveCall(serverId) : sw.liveCall(call.callId());
            if (c == null) {
                if (seen) {
                    throw new AssertionError("the call ended in state '" + last + "' before reaching '" + state
                            + "'; its record: " + sw.cdr(serverId) + "\n" + sw.logTail());
                }
            } else {
                seen = true;
                serverId = c.path("callId").asText();
                last = c.path("state").asText();
                if (state.equals(last) && (!"talking".equals(state) || !c.path("acceptedAt").isNull())) {
                    return c;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("call " + call.callId() + " did not reach '" + state + "' in " + bound
                + " (last state " + last + ")\n" + sw.logTail());
    }

    /** The handset hangs up and waits for the switch's 200 to the BYE. */
    void hangUp() {
        call.bye();
        if (call.awaitResponse("BYE", 200, Duration.ofSeconds(10)) == null) {
            throw new AssertionError("no 200 to the handset's BYE\n" + sw.logTail());
        }
    }

    @Override
    public void close() {
        handsetRtp.close();
        calledRtp.close();
        phone.close();
    }
}
