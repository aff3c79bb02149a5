package io.kinline.tests.peer;

import java.util.function.UnaryOperator;

/**
 * How the called-party side of a {@link SipPeer} treats one incoming INVITE.
 *
 * @param ringMs       send 180 at once and wait this long before the final response;
 *                     negative: no 180, final response at once
 * @param finalCode    final response code (200 answers), or 0 to never send one (ring forever)
 * @param answerer     turns the offer SDP (may be null) into the answer SDP for a 200
 * @param hangupAfterMs after answering, send BYE after this many ms; negative: never
 * @param testDriven       if true the peer sends nothing by itself: the test drives the {@link ServerCall}
 * @param finalHeaders  extra headers for the final response (e.g. Retry-After on a 503)
 */
public record UasBehaviour(long ringMs, int finalCode, UnaryOperator<String> answerer, long hangupAfterMs,
                           boolean testDriven, java.util.Map<String, String> finalHeaders) {

    public UasBehaviour {
        finalHeaders = finalHeaders == null ? java.util.Map.of() : java.util.Map.copyOf(finalHeaders);
    }

    /** The same behaviour with extra headers on the final response. */
    public UasBehaviour withFinalHeaders(java.util.Map<String, String> headers) {
        return new UasBehaviour(ringMs, finalCode, answerer, hangupAfterMs, testDriven, headers);
    }

    /** Rejects with 503 Service Unavailable and {@code Retry-After: seconds} (overload tests). */
    public static UasBehaviour overloaded(int retryAfterSeconds) {
        return reject(-1, 503).withFinalHeaders(java.util.Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** A placeholder PCMU answer on the discard port, for tests that don't care about media. */
    public static final UnaryOperator<String> DUMMY_SDP = offer -> io.kinline.tests.rtp.Sdp.build(
            "127.0.0.1", 9, java.util.List.of(0), 101, "sendrecv", 1);

    /** Ring {@code ringMs}, then answer with the SDP from {@code answerer}. */
    public static UasBehaviour answer(long ringMs, UnaryOperator<String> answerer) {
        return new UasBehaviour(ringMs, 200, answerer, -1, false, null);
    }

    /** Answer at once (180 then 200) with a dummy SDP. */
    public static UasBehaviour answer() {
        return answer(0, DUMMY_SDP);
    }

    /** Ring {@code ringMs}, answer, hang up {@code hangupAfterMs} after answering. */
    public static UasBehaviour answerThenHangup(long ringMs, UnaryOperator<String> answerer, long hangupAfterMs) {
        return new UasBehaviour(ringMs, 200, answerer, hangupAfterMs, false, null);
    }

    /** Ring {@code ringMs} (negative: no 180), then reject with {@code code} (e.g. 486, 603, 404). */
    public static UasBehaviour reject(long ringMs, int code) {
        if (code < 300) {
            throw new IllegalArgumentException("reject needs a code >= 300: " + code);
        }
        return new UasBehaviour(ringMs, code, null, -1, false, null);
    }

    /** 180 and never a final response (until CANCEL → 487). */
    public static UasBehaviour ringForever() {
        return new UasBehaviour(0, 0, null, -1, false, null);
    }

    /** Nothing at all, not even 180 (the stack still sends 100 Trying). */
    public static UasBehaviour silent() {
        return new UasBehaviour(-1, 0, null, -1, false, null);
    }

    /** The test drives the call itself through {@link ServerCall#ring()}, {@link ServerCall#answer}, ... */
    public static UasBehaviour manual() {
        return new UasBehaviour(-1, 0, null, -1, true, null);
    }
}
