package io.kinline.media.prompt;

import java.util.Set;

/** The prompts of every language, loaded once at start. */
public interface PromptLibrary {

    /** The prompt, falling back to the default language if this language lacks it. */
    Prompt prompt(String language, String name);

    boolean has(String language, String name);

    Set<String> languages();

    /** Turns a playlist's segments into audio, expanding numbers, money and durations into words. */
    java.util.List<Prompt> resolve(Playlist playlist);

    /** How long the playlist takes to play, e.g. to size a timeout that starts after a prompt. */
    default int durationMillis(Playlist playlist) {
        int total = 0;
        for (Prompt p : resolve(playlist)) {
            total += p.durationMillis();
        }
        return total;
    }
}
