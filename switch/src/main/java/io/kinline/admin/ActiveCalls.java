package io.kinline.admin;

import java.util.List;

/**
 * The call layer's view of the calls in progress, for {@code GET /api/calls}. Implementations must be
 * thread-safe and must not block for long: the admin API calls this from a virtual thread.
 */
@FunctionalInterface
public interface ActiveCalls {

    List<ActiveCallView> list();

    /** No calls: the default when the admin server runs without a call layer. */
    static ActiveCalls none() {
        return List::of;
    }
}
