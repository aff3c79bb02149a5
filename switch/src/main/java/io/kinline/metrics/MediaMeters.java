package io.kinline.metrics;

import io.kinline.media.MediaLoad;
import io.kinline.media.record.RecordingWriter;
import io.kinline.media.record.StereoRecorder;
import io.kinline.media.rtp.MediaCounters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Exports the media engine's totals. The media hot path only bumps {@code LongAdder}s (media knows nothing of
 * Micrometer); these meters read them when scraped:
 *
 * <pre>
 * kinline_media_packets_total{direction="in|out"}   RTP packets accepted from peers / sent to them
 * kinline_media_packets_lost_total                  packets peers sent that never arrived (ended legs)
 * kinline_media_packets_expected_total              packets peers sent (ended legs): loss ratio's denominator
 * kinline_media_legs_ended_total                    media legs ended
 * kinline_media_jitter_milliseconds                 histogram of each ended leg's RFC 3550 jitter
 * kinline_recording_queue_samples                   audio waiting for the recording writer (gauge)
 * kinline_recording_dropped_samples_total           audio dropped because the writer fell 30 s behind
 * kinline_recording_errors_total                    recordings whose writing failed (I/O error)
 * kinline_recording_open                            recordings in progress (gauge)
 * kinline_recording_gap_frames_total{channel}       20 ms frames missing from finished recordings (inmate|called)
 * kinline_recording_late_frames_total               20 ms frames that came too late to be written (late or dropped)
 * kinline_media_loop_lag_seconds                    worst recent sustained lateness of the media loops (gauge)
 * kinline_recording_backlog_seconds                 audio queued for the writer, per open recording (gauge)
 * </pre>
 */
public final class MediaMeters implements MeterBinder {

    private final MediaCounters media;
    private final RecordingWriter writer;

    public MediaMeters(MediaCounters media, RecordingWriter writer) {
        this.media = media;
        this.writer = writer;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        FunctionCounter.builder("kinline_media_packets", media, MediaCounters::packetsReceived)
                .description("RTP packets accepted from peers (in) or sent to them (out)")
                .tag("direction", "in").register(r);
        FunctionCounter.builder("kinline_media_packets", media, MediaCounters::packetsSent)
                .description("RTP packets accepted from peers (in) or sent to them (out)")
                .tag("direction", "out").register(r);
        FunctionCounter.builder("kinline_media_packets_lost", media, MediaCounters::packetsLost)
                .description("RTP packets the peers sent that never arrived, over ended legs").register(r);
        FunctionCounter.builder("kinline_media_packets_expected", media, MediaCounters::packetsExpected)
                .description("RTP packets the peers sent (by sequence number), over ended legs").register(r);
        FunctionCounter.builder("kinline_media_legs_ended", media, MediaCounters::legsEnded)
                .description("Media legs ended").register(r);
        DistributionSummary jitter = DistributionSummary.builder("kinline_media_jitter_milliseconds")
                .description("Interarrival jitter (RFC 3550) of each ended leg that received audio")
                .baseUnit("milliseconds")
                .serviceLevelObjectives(1, 2, 5, 10, 20, 30, 50, 100, 200)
                .register(r);
        media.onLegJitter(jitter::record);
        Gauge.builder("kinline_recording_queue_samples", writer, RecordingWriter::queuedSamples)
                .description("Audio samples waiting for the recording writer").register(r);
        Gauge.builder("kinline_recording_open", writer, RecordingWriter::activeRecorders)
                .description("Recordings in progress").register(r);
        FunctionCounter.builder("kinline_recording_dropped_samples", writer, RecordingWriter::droppedSamples)
                .description("Audio samples dropped because the recording writer fell 30 s behind").register(r);
        for (String channel : new String[] {"inmate", "called"}) {
            int ch = channel.equals("inmate") ? StereoRecorder.INMATE : StereoRecorder.CALLED;
            FunctionCounter.builder("kinline_recording_gap_frames", writer, w -> w.gapFrames(ch))
                    .description("20 ms frames of finished recordings in which a channel had no audio between its "
                            + "first and last (lost or never arrived)")
                    .tag("channel", channel).register(r);
        }
        FunctionCounter.builder("kinline_recording_late_frames", writer, RecordingWriter::lateFrames)
                .description("20 ms frames of finished recordings that arrived too late to be written "
                        + "(after their place was committed, or the writer's queue was full)").register(r);
        FunctionCounter.builder("kinline_recording_errors", writer, RecordingWriter::failures)
                .description("Recordings whose writing failed (I/O error)").register(r);
    }

    /** The media path's lateness, which overload control watches (see {@link MediaLoad}). */
    public static void bindLoad(MediaLoad load, MeterRegistry r) {
        Gauge.builder("kinline_media_loop_lag_seconds", load, l -> l.loopLagMicros() / 1e6)
                .description("Worst sustained lateness of the media event loops over the last one to two seconds")
                .baseUnit("seconds").register(r);
        Gauge.builder("kinline_recording_backlog_seconds", load, l -> l.recordingBacklogMillis() / 1e3)
                .description("Audio queued for the recording writer and not yet written, per open recording")
                .baseUnit("seconds").register(r);
    }
}
