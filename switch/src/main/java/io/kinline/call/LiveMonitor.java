package io.kinline.call;

import io.kinline.admin.CallMonitoring;
import io.kinline.admin.Principal;
import io.kinline.cluster.ClusterNodes;
import io.kinline.media.Bridge;
import io.kinline.media.MonitorSink;
import io.kinline.media.MonitorTap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live listening for the admin API ({@code GET /api/calls/{callId}/listen}): finds the B2BUA's live
 * call and taps its bridge. A call can be listened to only once the script reported the talking step
 * (the bridge exists and the privileged flag is known); privileged calls (attorneys, hotlines) never.
 */
public final class LiveMonitor implements CallMonitoring {

    private static final Logger log = LoggerFactory.getLogger(LiveMonitor.class);

    private final B2bua b2bua;
    private final ClusterNodes nodes;
    private final String self;

    public LiveMonitor(B2bua b2bua) {
        this(b2bua, null, null);
    }

    /**
     * @param nodes the cluster's registry, to send a listener to the node that carries a call this one does not
     *              (null: a single node)
     * @param self  this node's id
     */
    public LiveMonitor(B2bua b2bua, ClusterNodes nodes, String self) {
        this.b2bua = b2bua;
        this.nodes = nodes;
        this.self = self;
    }

    /** Throws ELSEWHERE when another running node carries the call (its start row names it). */
    private void elsewhere(String callId) throws Refused {
        if (nodes == null) {
            return;
        }
        var owner = nodes.ownerOf(callId).filter(id -> !id.equals(self)).flatMap(nodes::node);
        if (owner.isPresent() && owner.get().adminUrl() != null && nodes.alive(owner.get())) {
            throw new Refused(Refused.Reason.ELSEWHERE, "call " + callId + " is carried by node " + owner.get().nodeId(),
                    owner.get().adminUrl());
        }
    }

    @Override
    public Listen open(String callId, Principal who, AudioSink sink) throws Refused {
        Call call = b2bua.live(callId);
        if (call == null) {
            elsewhere(callId);
            throw new Refused(Refused.Reason.UNKNOWN_CALL, "no live call " + callId);
        }
        Call.Talking talking = call.talking;
        if (talking != null && talking.privileged()) {
            log.warn("{} asked to listen to privileged call {}: refused", who.actor(), callId);
            throw new Refused(Refused.Reason.PRIVILEGED, "privileged calls are never monitored");
        }
        Bridge bridge = call.liveBridge();
        if (talking == null || bridge == null) {
            throw new Refused(Refused.Reason.NOT_TALKING, "call " + callId + " is not connected yet");
        }
        MonitorTap tap;
        try {
            tap = bridge.monitor(new MonitorSink() {
                @Override
                public boolean onFrame(short[] pcm, int off, int len) {
                    return sink.onAudio(pcm, off, len);
                }

                @Override
                public void onClosed(boolean bridgeClosed) {
                    if (bridgeClosed) {
                        sink.onCallEnded();
                    }
                }
            });
        } catch (IllegalStateException e) { // the bridge closed under us: the call is ending
            throw new Refused(Refused.Reason.UNKNOWN_CALL, "call " + callId + " has ended");
        }
        return new Listen() {
            @Override
            public long framesDelivered() {
                return tap.deliveredFrames();
            }

            @Override
            public long framesDropped() {
                return tap.droppedFrames();
            }

            @Override
            public void close() {
                tap.close();
            }
        };
    }
}
