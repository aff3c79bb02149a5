package io.kinline.media.rtp;

import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEvent;
import io.kinline.media.MediaListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Collects endpoint events; with polling waits (the build machine is loaded: generous bounds). */
public final class Events implements MediaListener {

    private final List<MediaEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(MediaEndpoint endpoint, MediaEvent event) {
        events.add(event);
    }

    public List<MediaEvent> all() {
        return events;
    }

    public <T extends MediaEvent> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (MediaEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    public <T extends MediaEvent> T await(Class<T> type) {
        await(() -> !of(type).isEmpty(), "no " + type.getSimpleName() + " event; got " + events);
        return of(type).get(0);
    }

    public static void await(BooleanSupplier cond, String message) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
