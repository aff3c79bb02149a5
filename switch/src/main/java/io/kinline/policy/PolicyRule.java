package io.kinline.policy;

import java.util.Optional;

/** One check on a call attempt. Rules are pure: no I/O, time comes from {@link CallAttempt#now()}. */
@FunctionalInterface
public interface PolicyRule {
    /** The denial, or empty when this rule lets the call through. */
    Optional<Denial> check(CallAttempt a);
}
