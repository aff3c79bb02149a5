package io.kinline.script;

import io.kinline.policy.ActiveBlock;
import java.util.List;

/**
 * What the store says about a dialed number for this inmate at this facility.
 *
 * @param approved   on the inmate's approved-number list
 * @param privileged a privileged number (attorney, hotline): never recorded or monitored
 * @param blocks     blocks in force (keypad, facility, security, account, no-contact)
 */
public record NumberStanding(boolean approved, boolean privileged, List<ActiveBlock> blocks) {
    public NumberStanding {
        blocks = List.copyOf(blocks);
    }

    public static final NumberStanding NONE = new NumberStanding(false, false, List.of());
}
