package io.kinline.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the SIP stack. Monotonic; read them from any thread. {@link #activeTransactions} and
 * {@link #activeDialogs} are gauges. {@link SipMeters} exports them to Micrometer ({@code /metrics}).
 *
 * <p>Messages are also counted by direction and kind: requests by method ({@link #METHODS}, anything
 * else as {@code OTHER}, so a peer inventing methods cannot grow the label set), responses by status
 * class (1xx to 6xx). A message counts in when it parsed, out when it was handed to a transport
 * (retransmissions included; {@link #retransmissionsSent} counts those apart).
 */
public final class SipMetrics {

    /** The methods counted by name; the last, {@code OTHER}, takes every other method. */
    public static final List<String> METHODS = List.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "INFO",
            "UPDATE", "PRACK", "REGISTER", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH", "OTHER");
    private static final Map<String, Integer> METHOD_INDEX = new HashMap<>();

    static {
        for (int i = 0; i < METHODS.size(); i++) {
            METHOD_INDEX.put(METHODS.get(i), i);
        }
    }

    /** Which way a message went. */
    public enum Direction {
        IN, OUT
    }

    private final LongAdder[][] requests = new LongAdder[2][METHODS.size()];
    private final LongAdder[][] responses = new LongAdder[2][6];

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
    /** New out-of-dialog requests other than INVITE, ACK, CANCEL and OPTIONS dropped while the core is backlogged. */
    public final AtomicLong overloadDropped = new AtomicLong();
    public final AtomicLong forbiddenSent = new AtomicLong();
    public final AtomicLong challengesSent = new AtomicLong();
    /** Digest credentials refused because their nonce count was used before (a replay). */
    public final AtomicLong digestReplays = new AtomicLong();
    public final AtomicLong transactionTimeouts = new AtomicLong();
    /** Requests answered 482: the same request as a live transaction, arrived by another branch. */
    public final AtomicLong mergedRequests = new AtomicLong();
    public final AtomicLong transportErrors = new AtomicLong();
    public final AtomicLong activeTransactions = new AtomicLong();
    public final AtomicLong activeDialogs = new AtomicLong();
    public final AtomicLong activeInboundCalls = new AtomicLong();

    {
        for (int d = 0; d < 2; d++) {
            for (int i = 0; i < METHODS.size(); i++) {
                requests[d][i] = new LongAdder();
            }
            for (int c = 0; c < 6; c++) {
                responses[d][c] = new LongAdder();
            }
        }
    }

    /** Counts one message by method (request) or status class (response). */
    public void count(Direction direction, SIPMessage message) {
        if (message instanceof SIPRequest req) {
            requests[direction.ordinal()][methodIndex(req.getMethod())].increment();
        } else if (message instanceof SIPResponse resp) {
            int cls = resp.getStatusCode() / 100;
            if (cls >= 1 && cls <= 6) {
                responses[direction.ordinal()][cls - 1].increment();
            }
        }
    }

    /** Requests of {@code method} (one of {@link #METHODS}) that went {@code direction}. */
    public long requests(Direction direction, String method) {
        return requests[direction.ordinal()][methodIndex(method)].sum();
    }

    /** Responses of class {@code statusClass} (1 to 6) that went {@code direction}. */
    public long responses(Direction direction, int statusClass) {
        return responses[direction.ordinal()][statusClass - 1].sum();
    }

    private static int methodIndex(String method) {
        Integer i = method == null ? null : METHOD_INDEX.get(method);
        return i == null ? METHODS.size() - 1 : i;
    }

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
        m.put("overloadDropped", overloadDropped.get());
        m.put("forbiddenSent", forbiddenSent.get());
        m.put("challengesSent", challengesSent.get());
        m.put("digestReplays", digestReplays.get());
        m.put("transactionTimeouts", transactionTimeouts.get());
        m.put("mergedRequests", mergedRequests.get());
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
