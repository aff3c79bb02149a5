package io.kinline.sip;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the SIP stack. Monotonic; read them from any thread. {@link #activeTransactions} and
 * {@link #activeDialogs} are gauges.
 */
public final class SipMetrics {
    public final AtomicLong received = new AtomicLong();
    public final AtomicLong sent = new AtomicLong();
    public final AtomicLong malformedDropped = new AtomicLong();
    public final AtomicLong badRequestSent = new AtomicLong();
    public final AtomicLong tooLargeSent = new AtomicLong();
    public final AtomicLong retransmissionsAbsorbed = new AtomicLong();
    public final AtomicLong retransmissionsSent = new AtomicLong();
    public final AtomicLong strayResponses = new AtomicLong();
    public final AtomicLong keepAlives = new AtomicLong();
    public final AtomicLong serviceUnavailableSent = new AtomicLong();
    public final AtomicLong forbiddenSent = new AtomicLong();
    public final AtomicLong challengesSent = new AtomicLong();
    /** Digest credentials refused because their nonce count was used before (a replay). */
    public final AtomicLong digestReplays = new AtomicLong();
    public final AtomicLong transactionTimeouts = new AtomicLong();
    public final AtomicLong transportErrors = new AtomicLong();
    public final AtomicLong activeTransactions = new AtomicLong();
    public final AtomicLong activeDialogs = new AtomicLong();
    public final AtomicLong activeInboundCalls = new AtomicLong();

    /** A snapshot, name to value, for logging or an admin endpoint. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("received", received.get());
        m.put("sent", sent.get());
        m.put("malformedDropped", malformedDropped.get());
        m.put("badRequestSent", badRequestSent.get());
        m.put("tooLargeSent", tooLargeSent.get());
        m.put("retransmissionsAbsorbed", retransmissionsAbsorbed.get());
        m.put("retransmissionsSent", retransmissionsSent.get());
        m.put("strayResponses", strayResponses.get());
        m.put("keepAlives", keepAlives.get());
        m.put("serviceUnavailableSent", serviceUnavailableSent.get());
        m.put("forbiddenSent", forbiddenSent.get());
        m.put("challengesSent", challengesSent.get());
        m.put("digestReplays", digestReplays.get());
        m.put("transactionTimeouts", transactionTimeouts.get());
        m.put("transportErrors", transportErrors.get());
        m.put("activeTransactions", activeTransactions.get());
        m.put("activeDialogs", activeDialogs.get());
        m.put("activeInboundCalls", activeInboundCalls.get());
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
