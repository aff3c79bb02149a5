package io.kinline.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live-call states are part of the admin API ({@code GET /api/calls}): renaming a constant must not change them. */
class CallStateTest {

    @Test
    void wireNamesAreWhatTheApiShows() {
        assertEquals(List.of("offhook", "number-lookup", "dialing", "denied", "ringing", "greeting", "talking", "done"),
                Arrays.stream(CallState.values()).map(CallState::wireName).toList());
    }
}
