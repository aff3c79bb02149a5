package io.kinline.demo;

import io.kinline.media.MediaException;
import io.kinline.media.SdpException;
import io.kinline.media.rtp.NettyMediaEngine;
import io.kinline.sip.Dialog;
import io.kinline.sip.DialogListener;
import io.kinline.sip.InboundCall;
import io.kinline.sip.InboundCallHandler;
import io.kinline.sip.SipConfig;
import io.kinline.sip.SipServer;
import io.kinline.sip.TerminationReason;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The called party's phone, where the switch's carrier trunk points: Kinline's own SIP stack taking the
 * switch's B-leg INVITEs. Calls are taken one at a time: the demo says when it expects one
 * ({@link #expect}); an INVITE nobody expects gets 480.
 */
final class CalledParty implements InboundCallHandler, AutoCloseable {

    private final SipServer sip;
    private final NettyMediaEngine media;
    private final AtomicReference<CompletableFuture<InboundCall>> expected = new AtomicReference<>();

    CalledParty(InetSocketAddress bind, NettyMediaEngine media) {
        this.media = media;
        this.sip = new SipServer(SipConfig.builder()
                .bindAddress(bind.getAddress())
                .udpPort(bind.getPort())
                .tcpPort(-1)
                .userAgent("Kinline demo called party")
                .build(), this);
    }

    InetSocketAddress start() {
        sip.start();
        return sip.udpAddress();
    }

    /** The next INVITE, from now on. */
    CompletableFuture<InboundCall> expect() {
        CompletableFuture<InboundCall> f = new CompletableFuture<>();
        expected.set(f);
        return f;
    }

    /** Stops expecting a call. */
    void expectNone() {
        expected.set(null);
    }

    @Override
    public void onInvite(InboundCall invite) {
        // SIP event loop: ring and hand the call to the demo's script thread.
        CompletableFuture<InboundCall> f = expected.getAndSet(null);
        if (f == null) {
            invite.reject(480, "Temporarily Unavailable");
            return;
        }
        invite.ringing(null);
        f.complete(invite);
    }

    /** Answers a ringing call. Blocks until the switch ACKs. */
    Answered answer(InboundCall invite, Duration bound) throws MediaException, SdpException, InterruptedException {
        Phone phone = new Phone(media, invite.callId(), "called");
        Answered call = new Answered(phone);
        String sdp = phone.answer(invite.remoteSdp());
        try {
            call.dialog = invite.answer(sdp, new DialogListener() {
                @Override
                public void onTerminated(Dialog dialog, TerminationReason reason) {
                    call.ended.complete(reason == TerminationReason.REMOTE_BYE ? "switch hung up"
                            : reason.description());
                    phone.close();
                }
            }).toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            phone.close();
            throw new IllegalStateException("the switch did not confirm the answer: " + e.getMessage(), e);
        }
        phone.start();
        return call;
    }

    @Override
    public void close() {
        sip.close();
    }

    /** An answered call. */
    static final class Answered {
        final Phone phone;
        final CompletableFuture<String> ended = new CompletableFuture<>();
        volatile Dialog dialog;

        Answered(Phone phone) {
            this.phone = phone;
        }

        void hangUp() {
            Dialog d = dialog;
            if (d != null) {
                d.bye();
            }
        }
    }
}
