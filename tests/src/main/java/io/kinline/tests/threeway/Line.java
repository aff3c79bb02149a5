package io.kinline.tests.threeway;

import io.kinline.tests.rtp.G711Codec;
import java.util.SplittableRandom;

/**
 * The called party's telephone line and terminal, as the switch receives them: a band-pass with its own
 * edges and tilt, the room heard by the handset, hiss and hum on the loop, the line card's idle noise,
 * the echo of the inmate's voice, and G.711 at the end.
 *
 * <p>Three kinds: an analog loop (room noise always there, often hum), a VoIP adapter (clean line), and a
 * mobile phone whose noise suppression removes the room between words, so its pauses are digital
 * silence (or a faint comfort noise): the hardest case for telling a pause from an on-hook gap.
 */
final class Line {

    enum Kind { ANALOG, VOIP, MOBILE }

    final Kind kind;
    final double hpHz;
    final double lpHz;
    final double shelfDb;
    final double roomDbm0;
    final double loopNoiseDbm0;
    final double humDbm0;        // NaN: none
    final double cardNoiseDbm0;
    final double comfortDbm0;    // mobile only; NaN: none
    final double speechDbm0;
    final double echoLossDb;
    final boolean ulaw;

    Line(SplittableRandom r, Kind kind) {
        this(r, kind, false);
    }

    /** {@code noisy}: a poor analog loop (loud hiss and hum, a loud room). */
    Line(SplittableRandom r, Kind kind, boolean noisy) {
        this.kind = kind;
        hpHz = Dsp.uniform(r, 150, 350);
        lpHz = Dsp.uniform(r, 3000, 3500);
        shelfDb = Dsp.uniform(r, -6, 6);
        roomDbm0 = kind == Kind.MOBILE ? Dsp.uniform(r, -60, -42) : Dsp.uniform(r, -66, -46);
        loopNoiseDbm0 = noisy ? Dsp.uniform(r, -60, -52)
                : kind == Kind.ANALOG ? Dsp.uniform(r, -74, -60) : Dsp.uniform(r, -88, -78);
        humDbm0 = noisy || kind == Kind.ANALOG && Dsp.chance(r, 0.3) ? Dsp.uniform(r, -66, -52) : Double.NaN;
        cardNoiseDbm0 = Dsp.uniform(r, -88, -74);
        comfortDbm0 = kind == Kind.MOBILE && Dsp.chance(r, 0.5) ? Dsp.uniform(r, -78, -62) : Double.NaN;
        speechDbm0 = Dsp.uniform(r, -27, -12);
        echoLossDb = kind == Kind.MOBILE ? Dsp.uniform(r, 35, 50) : Dsp.uniform(r, 15, 35);
        ulaw = Dsp.chance(r, 0.7);
    }

    static Kind anyKind(SplittableRandom r) {
        double x = r.nextDouble();
        return x < 0.55 ? Kind.ANALOG : x < 0.75 ? Kind.VOIP : Kind.MOBILE;
    }

    /** A line that can flash (an analog loop or the analog port of a VoIP adapter). */
    static Kind flashable(SplittableRandom r) {
        return Dsp.chance(r, 0.75) ? Kind.ANALOG : Kind.VOIP;
    }

    /** Another party's voice through this line's filter and noise (the third party of a three-way). */
    float[] colour(float[] speech, double dbm0, SplittableRandom r) {
        float[] out = new float[speech.length];
        double g = Dsp.rms(dbm0);
        Dsp.Biquad hp = Dsp.Biquad.highPass(hpHz, 0.7);
        Dsp.Biquad lp = Dsp.Biquad.lowPass(lpHz, 0.7);
        Dsp.Biquad shelf = Dsp.Biquad.highShelf(1200, shelfDb);
        Dsp.Pink room = new Dsp.Pink(r);
        double roomG = Dsp.rms(roomDbm0);
        double loopG = Dsp.rms(loopNoiseDbm0);
        for (int i = 0; i < out.length; i++) {
            double v = speech[i] * g + room.next() * roomG;
            out[i] = (float) (shelf.step(lp.step(hp.step(v))) + r.nextGaussian() * loopG);
        }
        return out;
    }

    /** This line's own background (room through the handset, loop noise), {@code samples} long. */
    float[] idle(int samples, SplittableRandom r) {
        return colour(new float[samples], -90, r);
    }

    /**
     * Renders the track as G.711 (μ-law or A-law, as {@link #ulaw}): what the switch decodes from the
     * called leg's packets.
     */
    byte[] render(CallTrack t, SplittableRandom r) {
        int n = t.length();
        byte[] out = new byte[n];
        Dsp.Biquad hp = Dsp.Biquad.highPass(hpHz, 0.7);
        Dsp.Biquad hp2 = Dsp.Biquad.highPass(hpHz, 0.7);
        Dsp.Biquad lp = Dsp.Biquad.lowPass(lpHz, 0.7);
        Dsp.Biquad lp2 = Dsp.Biquad.lowPass(lpHz * 1.05, 0.7);
        Dsp.Biquad shelf = Dsp.Biquad.highShelf(1200, shelfDb);
        Dsp.Pink room = new Dsp.Pink(r);
        double roomG = Dsp.rms(roomDbm0);
        double loopG = Dsp.rms(loopNoiseDbm0);
        double cardG = Dsp.rms(cardNoiseDbm0);
        double humA = Double.isNaN(humDbm0) ? 0 : Dsp.sinePeak(humDbm0);
        double comfortG = Double.isNaN(comfortDbm0) ? 0 : Dsp.rms(comfortDbm0);
        boolean[] active = kind == Kind.MOBILE ? t.voiceActivity(Dsp.samples(0.15)) : null;
        for (int i = 0; i < n; i++) {
            boolean offHook = !t.onHook(i);
            double x = t.clicks[i];
            if (offHook) {
                double ambient = t.ambient[i] + room.next() * roomG * t.roomGain[i];
                if (active != null && !active[i]) {
                    ambient = 0; // noise suppression: nothing but the voice leaves a mobile phone
                }
                x += t.voice[i] + ambient;
            }
            double y = shelf.step(lp2.step(lp.step(hp2.step(hp.step(x)))));
            if (offHook) {
                if (active == null) {
                    y += r.nextGaussian() * loopG;
                    if (humA > 0) {
                        double ph = 2 * Math.PI * 60 * i / Dsp.RATE;
                        y += humA * (0.3 * Math.sin(3 * ph) + 0.5 * Math.sin(5 * ph) + 0.2 * Math.sin(7 * ph));
                    }
                } else if (!active[i] && comfortG > 0) {
                    y += r.nextGaussian() * comfortG;
                }
            }
            if (kind != Kind.MOBILE) {
                y += r.nextGaussian() * cardG;
            }
            y += t.network[i];
            int s = (int) Math.round(Math.max(-32768, Math.min(32767, y)));
            out[i] = ulaw ? G711Codec.linearToUlaw(s) : G711Codec.linearToAlaw(s);
        }
        return out;
    }
}
