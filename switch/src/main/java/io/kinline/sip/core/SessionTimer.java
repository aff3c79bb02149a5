package io.kinline.sip.core;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.sip.SipConfig;
import io.kinline.sip.transaction.ServerTransaction;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * The RFC 4028 session timer of one dialog: the interval and refresher the last 2xx settled, and one
 * timer that either refreshes at half the interval (when we are the refresher) or ends the dialog at
 * interval minus min(32 s, interval/3) (§10). Core-loop confined.
 */
final class SessionTimer {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTimer.class);

    /** What the timer needs of its dialog. */
    interface Owner {
        boolean ended();

        /** A re-INVITE or UPDATE in progress either way, or a 2xx awaiting its ACK: refresh a little later. */
        boolean busy();

        /** Sends a refresh (UPDATE when the peer allows it, else a re-INVITE); {@code done} completes with its outcome. */
        void refresh(CompletableFuture<String> done);

        /** No refresh came in time: end the dialog. */
        void expired();
    }

    private final SipCore core;
    private final Owner owner;
    private int interval;
    private boolean weRefresh;
    private ScheduledFuture<?> timer;

    SessionTimer(SipCore core, Owner owner) {
        this.core = core;
        this.owner = owner;
    }

    /** 422 with our Min-SE for a request asking for a shorter session interval; true when it was refused. */
    static boolean refuseTooShort(SipCore core, ServerTransaction st, SIPRequest req) {
        SessionExpires.Offer o = SessionExpires.parse(req);
        int minSe = core.config().minSessionExpires();
        if (o == null || o.interval() >= minSe) {
            return false;
        }
        SIPResponse r = core.messages().response(req, 422, null);
        core.messages().addHeader(r, "Min-SE", Integer.toString(minSe));
        st.respond(r);
        return true;
    }

    /** On a refresh we send: Supported: timer and, when timers are on, our Session-Expires and Min-SE. */
    void addTo(SIPRequest r) {
        SipConfig cfg = core.config();
        core.messages().addHeader(r, "Supported", SipMessages.SUPPORTED);
        int offered = interval > 0 ? interval : cfg.sessionExpires();
        if (offered > 0) {
            core.messages().addHeader(r, "Session-Expires", offered + ";refresher=uac");
            core.messages().addHeader(r, "Min-SE", Integer.toString(cfg.minSessionExpires()));
        }
    }

    /** UAS side: decide interval and refresher for a request we answer 2xx, and put them in {@code ok}. */
    void negotiateUas(SIPRequest req, SIPResponse ok) {
        SipConfig cfg = core.config();
        SessionExpires.Offer o = SessionExpires.parse(req);
        boolean supported = SessionExpires.supportsTimer(req);
        int chosen;
        String refresher;
        if (o != null) {
            chosen = Math.max(o.interval(), cfg.minSessionExpires());
            refresher = o.refresher() != null ? o.refresher() : supported ? "uac" : "uas";
        } else if (cfg.sessionExpires() > 0) {
            chosen = cfg.sessionExpires();
            refresher = supported ? "uac" : "uas";
        } else {
            interval = 0;
            return;
        }
        if ("uac".equals(refresher) && !supported) {
            refresher = "uas";
        }
        core.messages().addHeader(ok, "Session-Expires", chosen + ";refresher=" + refresher);
        if ("uac".equals(refresher)) {
            core.messages().addHeader(ok, "Require", "timer");
        }
        interval = chosen;
        weRefresh = "uas".equals(refresher); // we are the UAS of this transaction
    }

    /** UAC side: take interval and refresher from a 2xx to our INVITE/UPDATE and (re)start the timer. */
    void negotiateUac(SIPResponse ok) {
        SessionExpires.Offer o = SessionExpires.parse(ok);
        if (o == null) {
            interval = 0; // RFC 4028 §7.4: no Session-Expires in the 2xx, no session expiration
        } else {
            interval = o.interval();
            weRefresh = !"uas".equals(o.refresher());
        }
        start();
    }

    /** (Re)starts the timer for the negotiated interval. */
    void start() {
        cancel();
        if (interval <= 0 || owner.ended()) {
            return;
        }
        if (weRefresh) {
            timer = core.schedule(this::refresh, interval * 1000L / 2);
        } else {
            timer = core.schedule(() -> {
                LOG.info("session timer expired ({} s without refresh), sending BYE", interval);
                owner.expired();
            }, SessionExpires.expiryMillis(interval));
        }
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void refresh() {
        if (owner.ended()) {
            return;
        }
        if (owner.busy()) {
            timer = core.schedule(this::refresh, core.config().t1().toMillis() * 4);
            return;
        }
        CompletableFuture<String> f = new CompletableFuture<>();
        f.whenComplete((a, err) -> {
            if (err != null && !owner.ended()) {
                LOG.info("session refresh failed: {}", err.toString());
                start(); // e.g. 491: try again at the next half interval
            }
        });
        owner.refresh(f);
    }
}
