package io.kinline.media.record;

import io.kinline.media.files.PrivateFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a call as an 8 kHz 16-bit stereo WAV: left (channel 0) the inmate, right (channel 1) the
 * called party.
 *
 * <p>{@link #append} is called from Netty event loops and never blocks: it copies the samples, stamps
 * the arrival time and puts them on this recorder's lock-free queue. The {@link RecordingWriter}
 * worker that owns the recorder places each chunk on the recording timeline and writes the file.
 *
 * <p>Timeline. The recording starts at {@link #open}. A channel's first packet is placed at its
 * arrival time (wall clock since the start); later packets are placed by their RTP timestamp delta
 * from the newest packet seen (32-bit wrap handled by signed 32-bit subtraction). Gaps left by lost
 * packets read as silence, packets arriving for audio already written are dropped, duplicates overwrite
 * identical audio, and a jump of more than {@link #MAX_JUMP_SAMPLES} either way (new SSRC, sender
 * restart) re-anchors the channel at its arrival time. Audio is committed to the file once both
 * channels have passed a point, or once a channel has been quiet for {@link #COMMIT_LAG_SAMPLES} on
 * its own timeline (so a silent or one-sided channel does not hold the other back, and a sender with
 * a slow clock is not cut off), and the file is flushed (header
 * rewritten) at least every {@link #FLUSH_INTERVAL_NANOS}: a crash loses at most about a second.
 *
 * <p>Real time. The file lasts from {@link #open} to {@link #close}, by the wall clock, never by the senders'
 * clocks: a channel placed more than {@link #MAX_LEAD_SAMPLES} ahead of its arrival (a sender whose RTP clock
 * runs fast, or a channel anchored late) is pulled back to that lead, overwriting a few of its own samples, and
 * audio placed beyond the close (plus one frame, the last packet's own length) is cut.
 *
 * <p>Degradation is counted, never silent: {@link #quality()} gives the gap, late, dropped and drift frames
 * ({@link RecordingQuality} defines them), final once {@link #closeFuture()} completes and a snapshot while live.
 *
 * <p>The file is created exclusively (never over another recording) in a {@link RecordingFormat}, plain WAV
 * or encrypted, owner-only; when the recording is finished it is left read-only ({@link io.kinline.media.files.PrivateFiles}).
 */
public final class StereoRecorder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StereoRecorder.class);

    /** Left channel: the incarcerated caller. */
    public static final int INMATE = 0;
    /** Right channel: the called party. */
    public static final int CALLED = 1;

    static final int RATE = 8000;
    /** RTP timestamp jumps larger than this (10 s) re-anchor the channel instead of inserting silence. */
    static final int MAX_JUMP_SAMPLES = 10 * RATE;
    /**
     * How long (300 ms) a quiet channel is waited for before audio is committed without it: a jitter
     * allowance larger than any jitter buffer would tolerate.
     */
    static final int COMMIT_LAG_SAMPLES = 3 * RATE / 10;
    /**
     * Flush period (500 ms). Audio reaches the file at most lag + period after it arrived (0.8 s), so a
     * crash loses under a second even with scheduling slack.
     */
    static final long FLUSH_INTERVAL_NANOS = 500_000_000L;
    /** Queue limit per recorder (30 s of both channels): beyond it appends are dropped, never blocked. */
    static final long MAX_QUEUED_SAMPLES = 30L * RATE * 2;
    /** One append may carry at most this many samples (1 s). */
    static final int MAX_APPEND = RATE;
    /** The uncommitted window never exceeds this (20 s); older audio is forced out. */
    static final int MAX_WINDOW = 2 * MAX_JUMP_SAMPLES;
    /**
     * How far (100 ms) a channel may run ahead of the wall clock (its packets placed after their arrival):
     * start-up jitter and a burst are tolerated, a fast clock or a late anchor is pulled back beyond it.
     */
    static final int MAX_LEAD_SAMPLES = RATE / 10;
    private static final int FRAME = RecordingQuality.FRAME_SAMPLES;

    private record Chunk(int channel, long rtpTimestamp, long arrivalNanos, short[] samples) {
    }

    /** Channel number of the close marker; its arrival time is when {@link #close()} was called. */
    private static final int CLOSE = -1;
    private static final short[] NO_SAMPLES = new short[0];

    private final Path file;
    private final RecordingWriter writer;
    private final LongSupplier clock;
    private final long startNanos;
    private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong droppedSamples = new AtomicLong();
    private final AtomicLong droppedFrames = new AtomicLong();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile long recordedFrames;
    /** The worker's counts as of its last change (published only when one changes: no allocation per packet). */
    private volatile RecordingQuality published = RecordingQuality.CLEAN;

    // ---- Worker-thread state below: touched only by the owning RecordingWriter worker. ----
    private RecordingOutput out;
    private final Channel[] channels = {new Channel(), new Channel()};
    /** Uncommitted stereo frames, interleaved, starting at frame {@link #base}. */
    private short[] window = new short[2 * RATE];
    /** Which channels wrote each uncommitted frame of {@link #window} (bit 0 inmate, bit 1 called). */
    private byte[] written = new byte[RATE];
    private long lateFrames;
    private long driftSamples;
    private boolean qualityChanged;
    private long base;
    private long end;
    private long lastFlush;
    private boolean dirty;
    private boolean finished;

    private static final class Channel {
        boolean anchored;
        long lastTs;
        long lastPos;
        long nextPos;
        /** End position and arrival time of the newest packet: where this channel's own clock is. */
        long newestEnd;
        long newestArrival;
        /** Committed: whether the channel has any audio in the file yet, the silence since, the gaps so far. */
        boolean heard;
        long silentRun;
        long gapFrames;
    }

    private StereoRecorder(Path file, RecordingWriter writer, LongSupplier clock) {
        this.file = file;
        this.writer = writer;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.lastFlush = startNanos;
    }

    /**
     * Creates the file as a plain WAV (header only) and starts recording; the recording's time zero is now.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the file exists: a recording is never overwritten
     */
    public static StereoRecorder open(Path wav, RecordingWriter writer) throws IOException {
        return open(wav, writer, RecordingFormat.WAV, System::nanoTime);
    }

    /** As {@link #open(Path, RecordingWriter)} in the given format (plain or encrypted). */
    public static StereoRecorder open(Path file, RecordingWriter writer, RecordingFormat format) throws IOException {
        return open(file, writer, format, System::nanoTime);
    }

    /**
     * As {@link #open(Path, RecordingWriter)} with an explicit monotonic nanosecond clock, for tests
     * and for replaying captured calls at other than real time.
     */
    public static StereoRecorder open(Path wav, RecordingWriter writer, LongSupplier nanoClock) throws IOException {
        return open(wav, writer, RecordingFormat.WAV, nanoClock);
    }

    /** The general form: file, writer, format and clock. */
    public static StereoRecorder open(Path file, RecordingWriter writer, RecordingFormat format, LongSupplier nanoClock)
            throws IOException {
        if (writer.isClosed()) {
            throw new IllegalStateException("recording writer is closed");
        }
        StereoRecorder r = new StereoRecorder(file, writer, nanoClock);
        // Created eagerly, exclusively (CREATE_NEW), so a bad path or an existing file fails here, on the caller.
        r.out = format.create(file, 2);
        try {
            writer.register(r);
        } catch (RuntimeException e) {
            r.out.close();
            throw e;
        }
        return r;
    }

    public Path file() {
        return file;
    }

    /**
     * Queues audio for one channel. Never blocks; copies {@code pcm}, so the caller may reuse it.
     * Ignored after {@link #close()}; dropped (and counted) if the writer has fallen 30 s behind.
     *
     * @param channel      {@link #INMATE} (0, left) or {@link #CALLED} (1, right)
     * @param rtpTimestamp RTP timestamp of the first sample (8 kHz clock)
     */
    public void append(int channel, long rtpTimestamp, short[] pcm, int off, int len) {
        if (channel != INMATE && channel != CALLED) {
            throw new IllegalArgumentException("channel must be 0 or 1, got " + channel);
        }
        if (len < 0 || len > MAX_APPEND) {
            throw new IllegalArgumentException("len must be 0.." + MAX_APPEND + ", got " + len);
        }
        if (len == 0 || closeRequested.get()) {
            return;
        }
        if (queued.get() + len > MAX_QUEUED_SAMPLES) {
            droppedSamples.addAndGet(len);
            droppedFrames.addAndGet(RecordingQuality.frames(len));
            writer.dropped(len);
            return;
        }
        queued.addAndGet(len);
        writer.queued(len);
        queue.add(new Chunk(channel, rtpTimestamp & 0xFFFFFFFFL, clock.getAsLong(),
                Arrays.copyOfRange(pcm, off, off + len)));
    }

    /** Duration of the audio accepted so far (both channels' furthest point), in milliseconds. */
    public long recordedMillis() {
        return recordedFrames * 1000 / RATE;
    }

    /** Samples queued for the writer and not yet placed (a backlog gauge for metrics). */
    public long queuedSamples() {
        return queued.get();
    }

    /** Samples dropped because the writer fell behind. */
    public long droppedSamples() {
        return droppedSamples.get();
    }

    /**
     * How faithful the recording is: final once {@link #closeFuture()} has completed; while recording, the
     * counts of the audio committed so far.
     */
    public RecordingQuality quality() {
        RecordingQuality q = published;
        long dropped = droppedFrames.get();
        return dropped == q.droppedFrames() ? q : new RecordingQuality(q.gapFramesInmate(), q.gapFramesCalled(),
                q.lateFrames(), dropped, q.driftFrames());
    }

    /**
     * Requests finalization: queued audio is written and the header completed by the writer thread.
     * Never blocks; idempotent. Use {@link #closeFuture()} to wait for the file.
     */
    @Override
    public void close() {
        if (closeRequested.compareAndSet(false, true)) {
            queue.add(new Chunk(CLOSE, 0, clock.getAsLong(), NO_SAMPLES));
        }
    }

    /** Completes when the file is final (or exceptionally if writing failed). */
    public CompletableFuture<Void> closeFuture() {
        return done;
    }

    // ---------------------------------------------------------------- worker side

    boolean isFinished() {
        return finished;
    }

    void fail(Throwable t) {
        finished = true;
        publishQuality();
        writer.finished(quality());
        writer.failed();
        releaseBacklog();
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            t.addSuppressed(e);
        }
        try {
            PrivateFiles.readOnly(file); // nothing more will be written: closed is closed, even when cut short
        } catch (IOException | RuntimeException e) {
            t.addSuppressed(e);
        }
        done.completeExceptionally(t);
    }

    /** A finished recorder's unwritten audio leaves the writer's backlog total (it will never be written). */
    private void releaseBacklog() {
        writer.queued(-queued.getAndSet(0));
    }

    /** Runs on the worker: drains the queue, commits, flushes. Returns whether there was work. */
    boolean service() {
        if (finished) {
            return false;
        }
        boolean worked = false;
        boolean closing = false;
        long closeAt = 0;
        try {
            // Read the clock before draining: then every packet that arrived before 'now' has been
            // placed when the commit limit is computed, however long the drain took.
            long now = clock.getAsLong();
            Chunk c;
            while ((c = queue.poll()) != null) {
                if (c.channel == CLOSE) {
                    closing = true;
                    closeAt = framesAt(c.arrivalNanos);
                    break;
                }
                queued.addAndGet(-c.samples.length);
                writer.queued(-c.samples.length);
                place(c);
                worked = true;
            }
            if (closing) {
                // The recording lasts until it was stopped, even when the parties sent nothing at
                // the end (silence suppression, a silent line) or nothing at all: trailing silence,
                // not a file shorter than the call (an empty one for a call without RTP). Nor longer: audio
                // placed beyond the close (and the last packet's own frame) is cut, and counted.
                long stop = Math.max(base, Math.min(end, closeAt + FRAME));
                stop = Math.max(stop, closeAt);
                for (Channel ch : channels) {
                    if (ch.nextPos > stop) {
                        driftSamples += ch.nextPos - stop;
                    }
                }
                end = Math.min(end, stop);
                commit(stop);
                out.close();
                // Closed recordings are read-only: the mark that the file is final (sealing waits for it).
                PrivateFiles.readOnly(file);
                finished = true;
                releaseBacklog();
                publishQuality(); // a channel's trailing silence is not a gap: its pending run is never counted
                writer.finished(quality());
                done.complete(null);
                return true;
            }
            long wallPos = framesAt(now);
            long limit = Long.MAX_VALUE;
            for (Channel ch : channels) {
                long l;
                if (!ch.anchored) {
                    // It will anchor at its arrival time: not before wallPos - lag.
                    l = wallPos - COMMIT_LAG_SAMPLES;
                } else {
                    // Wait for the channel while it keeps sending; once it has been quiet for longer
                    // than the lag (hold, silence suppression, loss) stop waiting. Measured on the
                    // channel's own timeline (newest packet + time since), not the recording's wall
                    // clock, so a sender whose clock runs slow does not get its audio cut off as late.
                    long expected = ch.newestEnd + (now - ch.newestArrival) / (1_000_000_000L / RATE);
                    l = Math.max(ch.nextPos, expected - COMMIT_LAG_SAMPLES);
                }
                limit = Math.min(limit, l);
            }
            commit(Math.min(limit, end));
            if (qualityChanged) {
                publishQuality();
            }
            if (dirty && now - lastFlush >= FLUSH_INTERVAL_NANOS) {
                out.flush();
                lastFlush = now;
                dirty = false;
                worked = true;
            }
        } catch (IOException e) {
            log.error("writing recording {} failed", file, e);
            fail(e);
            return true;
        }
        return worked;
    }

    private long framesAt(long nanos) {
        long d = nanos - startNanos;
        return d <= 0 ? 0 : d / (1_000_000_000L / RATE);
    }

    private void place(Chunk c) throws IOException {
        Channel ch = channels[c.channel];
        long arrivalPos = framesAt(c.arrivalNanos);
        long pos;
        if (!ch.anchored) {
            ch.anchored = true;
            pos = Math.max(arrivalPos, base);
            ch.lastTs = c.rtpTimestamp;
            ch.lastPos = pos;
        } else {
            int delta = (int) (c.rtpTimestamp - ch.lastTs); // signed: handles 32-bit wrap
            if (delta > MAX_JUMP_SAMPLES || delta < -MAX_JUMP_SAMPLES) {
                pos = Math.max(Math.max(arrivalPos, ch.nextPos), base);
                ch.lastTs = c.rtpTimestamp;
                ch.lastPos = pos;
            } else {
                pos = ch.lastPos + delta;
                if (delta > 0) {
                    long back = Math.min(pos - arrivalPos - MAX_LEAD_SAMPLES, pos - Math.max(base, ch.lastPos));
                    if (back > 0) {
                        // Ahead of the wall clock: a fast sender clock or a late anchor would stretch the file.
                        // Pull the channel back (never behind the file or its previous packet), overwriting
                        // that much of its own audio: for a slow drift a sample or two at a time.
                        pos -= back;
                        driftSamples += back;
                        qualityChanged = true;
                    }
                    ch.lastTs = c.rtpTimestamp;
                    ch.lastPos = pos;
                }
            }
        }
        short[] s = c.samples;
        if (ch.lastPos == pos) { // newest packet of the channel (anchor, re-anchor or later timestamp)
            ch.newestEnd = pos + s.length;
            ch.newestArrival = c.arrivalNanos;
        }
        int from = 0;
        if (pos < base) { // late: that part of the file is already written
            from = (int) Math.min(s.length, base - pos);
            lateFrames += RecordingQuality.frames(from);
            qualityChanged = true;
        }
        if (from >= s.length) {
            return;
        }
        long first = pos + from;
        long last = pos + s.length;
        if (last - base > MAX_WINDOW) {
            commit(last - MAX_WINDOW);
            if (first < base) {
                from += (int) (base - first);
                first = base;
            }
        }
        ensureWindow(last - base);
        int frame = (int) (first - base);
        int idx = frame * 2 + c.channel;
        byte bit = (byte) (1 << c.channel);
        for (int i = from; i < s.length; i++, idx += 2, frame++) {
            window[idx] = s[i];
            written[frame] |= bit;
        }
        ch.nextPos = Math.max(ch.nextPos, last);
        if (last > end) {
            end = last;
            recordedFrames = end;
        }
    }

    private void ensureWindow(long frames) {
        if (frames * 2 > window.length) {
            long n = window.length;
            while (n < frames * 2) {
                n *= 2;
            }
            window = Arrays.copyOf(window, (int) n);
            written = Arrays.copyOf(written, (int) (n / 2));
        }
    }

    /** Writes frames [base, upTo) to the file and slides the window. */
    private void commit(long upTo) throws IOException {
        if (upTo <= base) {
            return;
        }
        int n = (int) (upTo - base);
        ensureWindow(n);
        if (upTo > end) {
            end = upTo;
        }
        out.write(window, 0, n * 2);
        countGaps(n);
        int remaining = (int) Math.max(0, end - upTo);
        System.arraycopy(window, n * 2, window, 0, remaining * 2);
        Arrays.fill(window, remaining * 2, Math.min(window.length, (remaining + n) * 2), (short) 0);
        System.arraycopy(written, n, written, 0, remaining);
        Arrays.fill(written, remaining, Math.min(written.length, remaining + n), (byte) 0);
        base = upTo;
        dirty = true;
    }

    /**
     * Counts the gaps in the first {@code n} frames of the window, about to be committed: a run of frames a
     * channel did not write, after its first audio, becomes gap frames once the channel's audio resumes.
     */
    private void countGaps(int n) {
        for (int c = 0; c < channels.length; c++) {
            Channel ch = channels[c];
            int bit = 1 << c;
            boolean heard = ch.heard;
            long run = ch.silentRun;
            for (int i = 0; i < n; i++) {
                if ((written[i] & bit) != 0) {
                    if (run > 0) {
                        ch.gapFrames += RecordingQuality.frames(run);
                        qualityChanged = true;
                        run = 0;
                    }
                    heard = true;
                } else if (heard) {
                    run++;
                }
            }
            ch.heard = heard;
            ch.silentRun = run;
        }
    }

    private void publishQuality() {
        qualityChanged = false;
        published = new RecordingQuality(channels[INMATE].gapFrames, channels[CALLED].gapFrames, lateFrames,
                droppedFrames.get(), RecordingQuality.frames(driftSamples));
    }
}
