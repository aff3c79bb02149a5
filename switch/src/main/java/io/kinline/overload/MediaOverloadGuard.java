package io.kinline.overload;

import io.kinline.media.MediaLoad;
import io.kinline.sip.AdmissionGuard;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sheds new calls while the switch is behind real time: the media event loops' lag over
 * {@code sip.overload.maxMediaLagMillis}, the recording writer's backlog over
 * {@code sip.overload.maxRecordingBacklogMillis}, or the call scripts' scheduling lag ({@link ScriptLagProbe})
 * over {@code sip.overload.maxScriptLagMillis} ({@code 0} turns each check off).
 *
 * <p>With hysteresis, so it does not flap per INVITE: once shedding, it goes on until every measure has been
 * under half its threshold for the hold ({@code sip.overload.holdSeconds}, {@link #DEFAULT_HOLD_SECONDS}). The
 * hold is long because admission is early: a call admitted now brings its media (and its recording) only when
 * it is bridged, 5-10 s later, so a short hold lets in a burst whose load arrives after the lag looked calm
 * (1,000 recorded calls: with a 1 s hold 667 got in and 13.5 % of RTP was lost; with 10 s, 611 and 2.1 %). Calls in progress are never touched. One WARN when
 * shedding starts and one INFO when it stops; an episode lasts at least the hold, so at most one pair a second.
 *
 * <p>{@link #shedReason()} runs on the SIP core loop only (one thread); the meters read volatile fields.
 */
public final class MediaOverloadGuard implements AdmissionGuard, MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(MediaOverloadGuard.class);

    /** How long every measure must stay under half its threshold before new calls are admitted again. */
    public static final int DEFAULT_HOLD_SECONDS = 10;
    static final String MEDIA = "Media Overloaded";
    static final String RECORDING = "Recording Overloaded";
    static final String SCRIPTS = "Call Setup Overloaded";

    private final MediaLoad load;
    private final long maxLagMicros;
    private final long maxBacklogMillis;
    private final LongSupplier scriptLagMicros;
    private final long maxScriptLagMicros;
    private final long holdNanos;
    private final LongSupplier clock;
    private final LongAdder rejected = new LongAdder();

    private volatile boolean shedding;
    private String reason;
    private long startedAt;
    private boolean calm;
    private long calmSince;
    private long shedThisEpisode;

    /**
     * @param maxLagMillis     media loop lag beyond which new calls are shed; 0 turns the check off
     * @param maxBacklogMillis recording backlog beyond which new calls are shed; 0 turns the check off
     * @param clock            nanoseconds (System::nanoTime; tests pass their own)
     */
    public MediaOverloadGuard(MediaLoad load, long maxLagMillis, long maxBacklogMillis, LongSupplier clock) {
        this(load, maxLagMillis, maxBacklogMillis, () -> 0, 0, DEFAULT_HOLD_SECONDS, clock);
    }

    /**
     * As above, and also sheds while {@code scriptLagMicros} (a {@link ScriptLagProbe}) is over
     * {@code maxScriptLagMillis} (0: off).
     */
    public MediaOverloadGuard(MediaLoad load, long maxLagMillis, long maxBacklogMillis, LongSupplier scriptLagMicros,
            long maxScriptLagMillis, int holdSeconds, LongSupplier clock) {
        if (holdSeconds < 0) {
            throw new IllegalArgumentException("sip.overload.holdSeconds must be 0 or more, not " + holdSeconds);
        }
        this.holdNanos = TimeUnit.SECONDS.toNanos(holdSeconds);
        if (maxScriptLagMillis < 0) {
            throw new IllegalArgumentException("sip.overload.maxScriptLagMillis must be 0 (off) or more, not "
                    + maxScriptLagMillis);
        }
        this.scriptLagMicros = Objects.requireNonNull(scriptLagMicros, "scriptLagMicros");
        this.maxScriptLagMicros = maxScriptLagMillis * 1000;
        if (maxLagMillis < 0) {
            throw new IllegalArgumentException("sip.overload.maxMediaLagMillis must be 0 (off) or more, not "
                    + maxLagMillis);
        }
        if (maxBacklogMillis < 0) {
            throw new IllegalArgumentException("sip.overload.maxRecordingBacklogMillis must be 0 (off) or more, not "
                    + maxBacklogMillis);
        }
        this.load = Objects.requireNonNull(load, "load");
        this.maxLagMicros = maxLagMillis * 1000;
        this.maxBacklogMillis = maxBacklogMillis;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String shedReason() {
        if (maxLagMicros == 0 && maxBacklogMillis == 0 && maxScriptLagMicros == 0) {
            return null;
        }
        long lag = maxLagMicros == 0 ? 0 : load.loopLagMicros();
        long backlog = maxBacklogMillis == 0 ? 0 : load.recordingBacklogMillis();
        long scripts = maxScriptLagMicros == 0 ? 0 : scriptLagMicros.getAsLong();
        boolean lagOver = maxLagMicros > 0 && lag > maxLagMicros;
        boolean backlogOver = maxBacklogMillis > 0 && backlog > maxBacklogMillis;
        boolean scriptsOver = maxScriptLagMicros > 0 && scripts > maxScriptLagMicros;
        long now = clock.getAsLong();
        if (!shedding) {
            if (!lagOver && !backlogOver && !scriptsOver) {
                return null;
            }
            shedding = true;
            reason = lagOver ? MEDIA : backlogOver ? RECORDING : SCRIPTS;
            startedAt = now;
            calm = false;
            shedThisEpisode = 0;
            log.warn("shedding new calls with 503 ({}): media loop lag {} ms (limit {}), recording backlog {} ms "
                    + "(limit {}), call script lag {} ms (limit {}); calls in progress go on", reason, lag / 1000,
                    limit(maxLagMicros / 1000), backlog, limit(maxBacklogMillis), scripts / 1000,
                    limit(maxScriptLagMicros / 1000));
        } else if (lag < maxLagMicros / 2 + 1 && backlog < maxBacklogMillis / 2 + 1
                && scripts < maxScriptLagMicros / 2 + 1) {
            if (!calm) {
                calm = true;
                calmSince = now;
            } else if (now - calmSince >= holdNanos) {
                shedding = false;
                log.info("admitting new calls again after {} ms: {} shed; media loop lag {} ms, recording backlog {} ms, "
                        + "call script lag {} ms", TimeUnit.NANOSECONDS.toMillis(now - startedAt), shedThisEpisode,
                        lag / 1000, backlog, scripts / 1000);
                return null;
            }
        } else {
            calm = false;
        }
        shedThisEpisode++;
        rejected.increment();
        return reason;
    }

    private static String limit(long millis) {
        return millis == 0 ? "off" : millis + " ms";
    }

    /** Whether new calls are being shed now. */
    public boolean shedding() {
        return shedding;
    }

    /** New INVITEs shed by this guard so far. */
    public long rejected() {
        return rejected.sum();
    }

    /**
     * <pre>
     * kinline_sip_overload_media_rejected_total   new INVITEs shed with 503 because the media path was behind
     *                                             (also counted in kinline_sip_overload_rejected_total)
     * kinline_sip_overload_media_shedding         1 while new calls are being shed for media load, else 0
     * </pre>
     */
    @Override
    public void bindTo(MeterRegistry r) {
        FunctionCounter.builder("kinline_sip_overload_media_rejected", this, MediaOverloadGuard::rejected)
                .description("New INVITEs shed with 503 because the media loops lagged or the recording writer "
                        + "fell behind").register(r);
        Gauge.builder("kinline_sip_overload_media_shedding", this, g -> g.shedding() ? 1 : 0)
                .description("1 while new calls are shed because the media path is behind, else 0").register(r);
    }
}
