package io.kinline.sip;

import io.kinline.sip.SipMetrics.Direction;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Exports {@link SipMetrics} to Micrometer, hence to Prometheus at {@code /metrics}. The meters read the
 * stack's own counters when scraped (function counters and gauges), so the SIP hot path stays as it is:
 * an atomic add per event, no registry lookup. Names in Prometheus form (explained in docs/SIP.md):
 *
 * <pre>
 * kinline_sip_requests_total{direction="in|out",method="INVITE|ACK|…|OTHER"}
 * kinline_sip_responses_total{direction="in|out",status_class="1xx|…|6xx"}
 * kinline_sip_malformed_total{handling="dropped|answered_400|answered_513"}
 * kinline_sip_retransmissions_total{kind="sent|absorbed"}
 * kinline_sip_overload_rejected_total        503 + Retry-After to new INVITEs (calls or rate over the limit)
 * kinline_sip_overload_dropped_total         other new requests dropped while the core is backlogged
 * kinline_sip_forbidden_total                403 to INVITEs from unknown sources or with a wrong digest
 * kinline_sip_digest_challenges_total        401 challenges sent to gateways
 * kinline_sip_merged_requests_total          requests answered 482 (RFC 3261 8.2.2.2 merged request)
 * kinline_sip_transaction_timeouts_total, kinline_sip_transport_errors_total,
 * kinline_sip_stray_responses_total, kinline_sip_keepalives_total
 * kinline_sip_transactions_open, kinline_sip_dialogs_open, kinline_sip_inbound_calls_open   (gauges)
 * </pre>
 */
public final class SipMeters implements MeterBinder {

    private final SipMetrics m;

    public SipMeters(SipMetrics metrics) {
        this.m = metrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Direction d : Direction.values()) {
            String dir = d.name().toLowerCase(Locale.ROOT);
            for (String method : SipMetrics.METHODS) {
                FunctionCounter.builder("kinline.sip.requests", m, x -> x.requests(d, method))
                        .description("SIP requests received (in) or sent (out), by method")
                        .tags("direction", dir, "method", method).register(registry);
            }
            for (int c = 1; c <= 6; c++) {
                int cls = c;
                FunctionCounter.builder("kinline.sip.responses", m, x -> x.responses(d, cls))
                        .description("SIP responses received (in) or sent (out), by status class")
                        .tags("direction", dir, "status_class", c + "xx").register(registry);
            }
        }
        counter(registry, "kinline.sip.malformed", "Malformed SIP messages", m.malformedDropped, "handling", "dropped");
        counter(registry, "kinline.sip.malformed", "Malformed SIP messages", m.badRequestSent, "handling", "answered_400");
        counter(registry, "kinline.sip.malformed", "Malformed SIP messages", m.tooLargeSent, "handling", "answered_513");
        counter(registry, "kinline.sip.retransmissions", "SIP retransmissions", m.retransmissionsSent, "kind", "sent");
        counter(registry, "kinline.sip.retransmissions", "SIP retransmissions", m.retransmissionsAbsorbed,
                "kind", "absorbed");
        counter(registry, "kinline.sip.overload.rejected", "New INVITEs shed with 503 and Retry-After",
                m.serviceUnavailableSent);
        counter(registry, "kinline.sip.overload.dropped",
                "New out-of-dialog requests (not INVITE, ACK, CANCEL, OPTIONS) dropped under a core backlog",
                m.overloadDropped);
        counter(registry, "kinline.sip.forbidden", "INVITEs refused with 403 (source or digest)", m.forbiddenSent);
        counter(registry, "kinline.sip.digest.challenges", "Digest challenges (401) sent", m.challengesSent);
        counter(registry, "kinline.sip.digest.replays", "Replayed digest responses (nonce count reused), re-challenged",
                m.digestReplays);
        counter(registry, "kinline.sip.transaction.timeouts", "SIP transactions that timed out",
                m.transactionTimeouts);
        counter(registry, "kinline.sip.merged.requests",
                "Out-of-dialog requests answered 482: the same request as a live transaction by another branch",
                m.mergedRequests);
        counter(registry, "kinline.sip.transport.errors", "SIP send or connection failures", m.transportErrors);
        counter(registry, "kinline.sip.stray.responses", "Responses matching no transaction", m.strayResponses);
        counter(registry, "kinline.sip.keepalives", "CRLF keep-alives received", m.keepAlives);
        gauge(registry, "kinline.sip.transactions.open", "SIP transactions in progress", m.activeTransactions);
        gauge(registry, "kinline.sip.dialogs.open", "SIP dialogs established", m.activeDialogs);
        gauge(registry, "kinline.sip.inbound.calls.open", "Inbound INVITEs admitted and not yet ended",
                m.activeInboundCalls);
    }

    private static void counter(MeterRegistry r, String name, String help, AtomicLong value, String... tags) {
        FunctionCounter.builder(name, value, (ToDoubleFunction<AtomicLong>) AtomicLong::get).description(help)
                .tags(tags).register(r);
    }

    private static void gauge(MeterRegistry r, String name, String help, AtomicLong value) {
        Gauge.builder(name, value, AtomicLong::get).description(help).register(r);
    }
}
