package io.kinline.media.rtp;

import io.kinline.media.prompt.Playlist;
import io.kinline.media.prompt.Prompt;
import io.kinline.media.prompt.PromptLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An in-memory prompt library of generated tones for tests: prompt {@code "tone-<hz>-<ms>"} is a
 * sine of that frequency and length; Silence, Tone and CallProgress segments are synthesised.
 */
public final class TestPrompts implements PromptLibrary {

    public static short[] sine(int hz, int millis, int amplitude) {
        short[] s = new short[millis * 8];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / 8000.0));
        }
        return s;
    }

    @Override
    public Prompt prompt(String language, String name) {
        if (!name.startsWith("tone-")) {
            throw new IllegalArgumentException("no prompt " + name);
        }
        String[] p = name.split("-");
        return new Prompt(language, name, sine(Integer.parseInt(p[1]), Integer.parseInt(p[2]), 8000));
    }

    @Override
    public boolean has(String language, String name) {
        return name.startsWith("tone-");
    }

    @Override
    public Set<String> languages() {
        return Set.of("en");
    }

    @Override
    public List<Prompt> resolve(Playlist playlist) {
        List<Prompt> out = new ArrayList<>();
        for (Playlist.Segment s : playlist.segments()) {
            switch (s) {
                case Playlist.PromptRef r -> out.add(prompt(playlist.language(), r.name()));
                case Playlist.Silence si -> out.add(new Prompt(playlist.language(), "silence", new short[si.millis() * 8]));
                case Playlist.Tone t -> out.add(new Prompt(playlist.language(), "tone", sine(t.frequencyHz(), t.millis(), 8000)));
                case Playlist.CallProgress c -> {
                    Prompt cycle = new Prompt(playlist.language(), c.tone().key(), c.tone().cycle());
                    for (int i = 0; i < c.cycles(); i++) {
                        out.add(cycle);
                    }
                }
                default -> throw new IllegalArgumentException("test library cannot say " + s);
            }
        }
        return out;
    }
}
