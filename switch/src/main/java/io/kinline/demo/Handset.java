package io.kinline.demo;

import io.kinline.media.MediaException;
import io.kinline.media.SdpException;
import io.kinline.media.rtp.NettyMediaEngine;
import io.kinline.sip.Dialog;
import io.kinline.sip.DialogListener;
import io.kinline.sip.OutboundCall;
import io.kinline.sip.OutboundCallListener;
import io.kinline.sip.OutboundCallRequest;
import io.kinline.sip.SipConfig;
import io.kinline.sip.SipServer;
import io.kinline.sip.TerminationReason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A facility handset as the switch sees it through a SIP gateway: Kinline's own SIP stack on a loopback
 * port whose "trunk" is the switch, so each call is an INVITE to the switch with the station id as the
 * From user and the dialled number as the Request-URI user.
 */
final class Handset implements AutoCloseable {

    private final SipServer sip;
    private final NettyMediaEngine media;
    private final InetSocketAddress switchAddress;

    Handset(InetSocketAddress switchAddress, NettyMediaEngine media) {
        this.media = media;
        this.switchAddress = switchAddress;
        this.sip = new SipServer(SipConfig.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .udpPort(0)
                .tcpPort(-1)
                .trunk(switchAddress)
                .userAgent("Kinline demo handset")
                .build(), null); // a handset takes no calls
    }

    InetSocketAddress start() {
        sip.start();
        return sip.udpAddress();
    }

    InetSocketAddress switchAddress() {
        return switchAddress;
    }

    /** Goes off-hook and dials; the returned call is in progress. */
    Call dial(String station, String number) throws MediaException {
        // The Call-ID is only known once the INVITE exists; the media endpoint is named after the station.
        Phone phone = new Phone(media, "handset-" + station + "-" + System.nanoTime(), "handset");
        Call call = new Call(phone);
        call.outbound = sip.placeCall(OutboundCallRequest.of(number, phone.offer()).withCallerId(station),
                new OutboundCallListener() {
                    @Override
                    public void onAnswered(OutboundCall oc, Dialog dialog, String sdp) {
                        try {
                            phone.applyAnswer(sdp);
                            phone.start();
                            call.answered.complete(dialog);
                        } catch (SdpException e) {
                            dialog.bye();
                            call.answered.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onFailed(OutboundCall oc, int status, String reason) {
                        call.answered.completeExceptionally(new io.kinline.sip.SipFailure(status, reason));
                        call.ended.complete("rejected: " + status + " " + reason);
                        phone.close();
                    }
                }, new DialogListener() {
                    @Override
                    public void onTerminated(Dialog dialog, TerminationReason reason) {
                        call.ended.complete(reason == TerminationReason.REMOTE_BYE ? "switch hung up"
                                : reason.description());
                        phone.close();
                    }
                });
        return call;
    }

    @Override
    public void close() {
        sip.close();
    }

    /** One call from the handset. */
    static final class Call {
        final Phone phone;
        final CompletableFuture<Dialog> answered = new CompletableFuture<>();
        /** Completes with how the call ended, in plain words. */
        final CompletableFuture<String> ended = new CompletableFuture<>();
        volatile OutboundCall outbound;

        Call(Phone phone) {
            this.phone = phone;
        }

        String callId() {
            return outbound.callId();
        }

        /** Hangs up (BYE), or abandons the call if it was not answered. */
        void hangUp() {
            Dialog d = answered.getNow(null);
            if (d != null) {
                d.bye();
            } else if (outbound != null) {
                outbound.cancel();
            }
        }
    }
}
