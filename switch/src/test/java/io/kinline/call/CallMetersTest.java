package io.kinline.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kinline.script.CallObserver.Step;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Reason labels stay a bounded set, whatever reason codes reach the counter. */
class CallMetersTest {

    @Test
    void reasonsAreFoldedAndCapped() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        CallMeters m = new CallMeters(r);
        assertEquals("sip_4xx", m.reasonLabel("sip_486"));
        assertEquals("sip_5xx", m.reasonLabel("sip_503"));
        assertEquals("none", m.reasonLabel(""));
        assertEquals("none", m.reasonLabel(null));
        assertEquals("other", m.reasonLabel("Busy Here\r\nX: y"));
        assertEquals("other", m.reasonLabel("x".repeat(33)));
        assertEquals("time_limit", m.reasonLabel("time_limit"));
        for (int i = 0; i < 500; i++) {
            m.ended("denied", "code_" + i);
        }
        long reasons = r.find("kinline_calls_total").counters().stream().map(c -> c.getId().getTag("reason"))
                .distinct().count();
        assertEquals(CallMeters.MAX_REASONS, reasons, "MAX_REASONS codes (time_limit among them), then 'other'");
        assertEquals(500 - (CallMeters.MAX_REASONS - 1), r.find("kinline_calls_total").tag("reason", "other")
                .counter().count(), 0.0);
        assertEquals("time_limit", m.reasonLabel("time_limit"), "a code seen before keeps its label");
    }

    @Test
    void everyStepHasItsTimerFromTheStart() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        CallMeters m = new CallMeters(r);
        assertEquals(Step.values().length, r.find("kinline_call_step_seconds").timers().size());
        m.stepTook(Step.PIN_OK, 2_000_000_000L);
        assertEquals(2.0, r.find("kinline_call_step_seconds").tag("step", "pin-ok").timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS), 1e-9);
    }
}
