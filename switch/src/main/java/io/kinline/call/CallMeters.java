package io.kinline.call;

import io.kinline.script.CallObserver.Step;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The call layer's meters: {@code kinline_calls_total{outcome,reason}} and
 * {@code kinline_call_step_seconds{step}} (how long a call stays in each IVR step, from the step to the next).
 *
 * <p>Labels stay bounded whatever peers send: outcomes are the store's enum codes; reasons are the switch's
 * own codes, with SIP statuses folded to their class ({@code sip_486} counts as {@code sip_4xx}), anything not
 * shaped like a code counted as {@code other}, and at most {@link #MAX_REASONS} distinct reasons ever; steps
 * are the {@link Step} enum, registered up front.
 */
final class CallMeters {

    /** Distinct reason labels at most; beyond, {@code other}. The switch's codes number about forty. */
    static final int MAX_REASONS = 64;

    private static final Pattern SIP_STATUS = Pattern.compile("sip_([1-6])\\d\\d");
    private static final Pattern CODE = Pattern.compile("[a-z0-9_]{1,32}");

    private final MeterRegistry registry;
    private final Map<Step, Timer> steps = new EnumMap<>(Step.class);
    private final Set<String> reasons = ConcurrentHashMap.newKeySet();

    CallMeters(MeterRegistry registry) {
        this.registry = registry;
        for (Step s : Step.values()) {
            steps.put(s, Timer.builder("kinline_call_step_seconds")
                    .description("Time a call spends in an IVR step, from the step to the next one")
                    .tag("step", s.code())
                    .publishPercentileHistogram(false)
                    .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
                            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300))
                    .register(registry));
        }
    }

    /** Counts a call that ended (or was refused before it began). */
    void ended(String outcome, String reason) {
        Counter.builder("kinline_calls_total").description("Calls by outcome and reason")
                .tag("outcome", outcome).tag("reason", reasonLabel(reason)).register(registry).increment();
    }

    /** Records that a call spent {@code nanos} in {@code step} (the step it left). */
    void stepTook(Step step, long nanos) {
        steps.get(step).record(Math.max(0, nanos), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The bounded label for a reason code. */
    String reasonLabel(String reason) {
        if (reason == null || reason.isEmpty()) {
            return "none";
        }
        var sip = SIP_STATUS.matcher(reason);
        if (sip.matches()) {
            return "sip_" + sip.group(1) + "xx";
        }
        if (!CODE.matcher(reason).matches()) {
            return "other";
        }
        if (reasons.contains(reason)) {
            return reason;
        }
        synchronized (reasons) {
            if (reasons.size() >= MAX_REASONS) {
                return "other";
            }
            reasons.add(reason);
            return reason;
        }
    }
}
