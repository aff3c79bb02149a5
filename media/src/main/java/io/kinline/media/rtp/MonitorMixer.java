package io.kinline.media.rtp;

import io.kinline.media.MonitorSink;
import io.kinline.media.MonitorTap;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor side of one bridge: both parties' received audio (from the bridge's audio taps) goes
 * into two small timestamp-ordered FIFOs; a 20 ms clock on the inmate endpoint's event loop takes one
 * frame from each, adds the announcement if one runs, and hands the mix to every {@link MonitorSink}.
 *
 * <p>All state is confined to {@link #loop}; audio tapped on another loop (endpoints of different call
 * IDs bridged together) is copied over. The clock runs only while at least one monitor is open.
 */
final class MonitorMixer {

    private static final Logger log = LoggerFactory.getLogger(MonitorMixer.class);
    static final int FRAME = MonitorSink.FRAME_SAMPLES;

    private final EventLoop loop;
    private final String callId;
    private final PcmFifo[] channels = {new PcmFifo(), new PcmFifo()};
    private final List<Tap> taps = new CopyOnWriteArrayList<>();
    private final short[] a = new short[FRAME];
    private final short[] b = new short[FRAME];
    private final short[] mix = new short[FRAME];
    private ScheduledFuture<?> clock;
    private short[] overlay;
    private int overlayPos;
    private boolean closed;

    MonitorMixer(EventLoop loop, String callId) {
        this.loop = loop;
        this.callId = callId;
    }

    /** Audio one party said (decoded), from the bridge's tap; channel 0 inmate, 1 called. */
    void onAudio(int channel, long rtpTimestamp, short[] pcm, int off, int len) {
        if (taps.isEmpty()) {
            return; // nobody listens: do not even buffer
        }
        if (loop.inEventLoop()) {
            channels[channel].put(rtpTimestamp, pcm, off, len);
        } else {
            short[] copy = java.util.Arrays.copyOfRange(pcm, off, off + len);
            execute(() -> channels[channel].put(rtpTimestamp, copy, 0, copy.length));
        }
    }

    /** An announcement mixed into the bridge: the listeners hear it too. */
    void announce(short[] pcm) {
        execute(() -> {
            overlay = pcm.length == 0 ? null : pcm;
            overlayPos = 0;
        });
    }

    MonitorTap add(MonitorSink sink) {
        Tap t = new Tap(sink);
        taps.add(t);
        execute(() -> {
            if (closed) {
                t.finish(true);
            } else if (clock == null) {
                channels[0].reset();
                channels[1].reset();
                clock = loop.scheduleAtFixedRate(this::tick, 20, 20, TimeUnit.MILLISECONDS);
            }
        });
        return t;
    }

    /** The bridge closed: every monitor ends with {@code onClosed(true)}. */
    void close() {
        execute0(() -> {
            closed = true;
            for (Tap t : taps) {
                t.finish(true);
            }
            stopClockIfIdle();
        });
    }

    private void tick() {
        channels[0].take(a);
        channels[1].take(b);
        short[] o = overlay;
        int op = overlayPos;
        for (int i = 0; i < FRAME; i++) {
            int v = a[i] + b[i];
            if (o != null && op < o.length) {
                v += o[op++];
            }
            mix[i] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : v < Short.MIN_VALUE ? Short.MIN_VALUE : v);
        }
        if (o != null) {
            overlayPos = op;
            if (op >= o.length) {
                overlay = null;
            }
        }
        for (Tap t : taps) {
            t.deliver(mix);
        }
    }

    private void stopClockIfIdle() {
        if (taps.isEmpty() && clock != null) {
            clock.cancel(false);
            clock = null;
        }
    }

    private void execute(Runnable r) {
        execute0(r);
    }

    /** Runs on the loop; when the loop is shut down, runs here (nothing else runs on it any more). */
    private void execute0(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
            return;
        }
        try {
            loop.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    private final class Tap implements MonitorTap {
        private final MonitorSink sink;
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicBoolean closing = new AtomicBoolean();
        private boolean finished; // loop-confined

        Tap(MonitorSink sink) {
            this.sink = sink;
        }

        void deliver(short[] frame) {
            if (finished || closing.get()) {
                return;
            }
            boolean ok;
            try {
                ok = sink.onFrame(frame, 0, FRAME);
            } catch (RuntimeException e) {
                log.warn("[{}] monitor sink failed: {}", callId, e.toString());
                ok = false;
            }
            (ok ? delivered : dropped).incrementAndGet();
        }

        /** On the loop: remove, tell the sink once. */
        void finish(boolean bridgeClosed) {
            if (finished) {
                return;
            }
            finished = true;
            closing.set(true);
            taps.remove(this);
            stopClockIfIdle();
            try {
                sink.onClosed(bridgeClosed);
            } catch (RuntimeException e) {
                log.warn("[{}] monitor sink failed on close: {}", callId, e.toString());
            }
        }

        @Override
        public long deliveredFrames() {
            return delivered.get();
        }

        @Override
        public long droppedFrames() {
            return dropped.get();
        }

        @Override
        public boolean isClosed() {
            return closing.get();
        }

        @Override
        public void close() {
            if (closing.compareAndSet(false, true)) {
                execute0(() -> finish(false));
            }
        }
    }

    /**
     * One party's decoded audio, placed by RTP timestamp: a short gap (loss) becomes silence, late or
     * duplicate samples are dropped, a long jump (silence suppression, new SSRC) restarts the stream.
     * Playout starts once {@value #START} samples (40 ms) are buffered, absorbing arrival jitter; a
     * backlog beyond {@value #MAX_FILL} (the clocks drifted, or a burst arrived) is cut back.
     */
    static final class PcmFifo {
        static final int CAPACITY = 8000;
        static final int START = 320;
        static final int MAX_FILL = 1600;
        /** Longest gap filled with silence (100 ms); longer jumps restart the timeline. */
        static final int MAX_GAP = 800;

        private final short[] ring = new short[CAPACITY];
        private int head;
        private int size;
        private long nextTs = -1;
        private boolean playing;

        void reset() {
            head = 0;
            size = 0;
            nextTs = -1;
            playing = false;
        }

        int size() {
            return size;
        }

        void put(long ts, short[] src, int off, int len) {
            long end = (ts + len) & 0xFFFFFFFFL;
            if (nextTs >= 0) {
                int d = (int) (ts - nextTs); // signed distance on the 32-bit timestamp circle
                if (d < 0 && d > -MAX_FILL) {
                    if (d <= -len) {
                        return; // entirely late or duplicate
                    }
                    off -= d;
                    len += d;
                } else if (d > 0 && d <= MAX_GAP) {
                    zeros(d);
                }
            }
            append(src, off, len);
            nextTs = end;
            if (size > MAX_FILL) {
                drop(size - START);
            }
        }

        /** Fills {@code dst} with the next frame, zeros where nothing is buffered. */
        void take(short[] dst) {
            int n = dst.length;
            if (!playing && size >= START) {
                playing = true;
            }
            int got = 0;
            if (playing) {
                got = Math.min(n, size);
                int first = Math.min(got, CAPACITY - head);
                System.arraycopy(ring, head, dst, 0, first);
                System.arraycopy(ring, 0, dst, first, got - first);
                head = (head + got) % CAPACITY;
                size -= got;
                if (size == 0) {
                    playing = false; // underrun: buffer up again before playing on
                }
            }
            java.util.Arrays.fill(dst, got, n, (short) 0);
        }

        private void zeros(int n) {
            for (int i = 0; i < n; i++) {
                push((short) 0);
            }
        }

        private void append(short[] src, int off, int len) {
            for (int i = 0; i < len; i++) {
                push(src[off + i]);
            }
        }

        private void push(short v) {
            if (size == CAPACITY) {
                drop(1);
            }
            ring[(head + size) % CAPACITY] = v;
            size++;
        }

        private void drop(int n) {
            head = (head + n) % CAPACITY;
            size -= n;
        }
    }
}
