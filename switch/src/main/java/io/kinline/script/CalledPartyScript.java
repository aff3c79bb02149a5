package io.kinline.script;

import io.kinline.ivr.CallEndedException;
import io.kinline.ivr.Collected;
import io.kinline.ivr.DigitSpec;
import io.kinline.ivr.Ivr;
import io.kinline.ivr.Leg;
import io.kinline.media.prompt.Playlist;
import io.kinline.policy.FacilityRules;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The called party's side, from answer to decision: who is calling, the recording notice, and the
 * consent menu. Runs on the call's thread inside {@link InmateCallScript}; it only talks to the called
 * leg's {@link Ivr} and reports a {@link Decision}. An inmate hangup meanwhile propagates as
 * {@link CallEndedException}; a called-party hangup is the decision {@link Decision#HUNG_UP}.
 *
 * <pre>
 * "This is a prepaid call from" NAME|"an inmate" "an inmate at" FACILITY|"a correctional facility"
 * "This call is recorded and may be monitored."         (left out for privileged calls)
 * "To accept press 1, to refuse press 2, to hear the rate press 5, to block future calls press 9."
 *   (consentDuringNotice false, the default: everything before the menu plays to its end without
 *    barge-in, and keys pressed during it are discarded; true: any key barges in from the start)
 *   1 -> ACCEPTED
 *   2 -> REFUSED
 *   5 -> "the rate is" $0.06 "per minute" (this call's rate), then the menu again
 *   9 -> "press 9 again to block" -> 9 -> block, "block confirmed" "goodbye" -> BLOCKED
 *                                  -> anything else: the menu again
 *   nothing -> the menu again, consentRepeats times -> NO_RESPONSE
 * </pre>
 */
public final class CalledPartyScript {

    /** Bound on menu rounds (rate requests, unconfirmed blocks) so a called party can't loop forever. */
    public static final int MAX_ROUNDS = 8;

    /** What the called party decided. */
    public enum Decision {
        ACCEPTED,
        REFUSED,
        /** Pressed the block key twice; the block is already stored. */
        BLOCKED,
        /** No valid key after the repeats. */
        NO_RESPONSE,
        /** The called party hung up during the greeting or the menu. */
        HUNG_UP
    }

    private final Ivr called;
    private final FacilityRules facility;
    private final String language;
    private final Playlist greeting;
    private final BigDecimal ratePerMinute;
    private final Runnable block;

    /**
     * @param called        the called leg's IVR
     * @param greeting      the full greeting ending with the consent menu ({@link #greeting})
     * @param ratePerMinute what this call costs per minute, quoted on the rate key: the rate it is
     *                      reserved and charged at, not a facility-wide figure
     * @param block         stores the keypad block (called once, after the confirmation)
     */
    public CalledPartyScript(Ivr called, FacilityRules facility, String language, Playlist greeting,
            BigDecimal ratePerMinute, Runnable block) {
        this.called = Objects.requireNonNull(called, "called");
        this.facility = Objects.requireNonNull(facility, "facility");
        this.language = Objects.requireNonNull(language, "language");
        this.greeting = Objects.requireNonNull(greeting, "greeting");
        this.ratePerMinute = Objects.requireNonNull(ratePerMinute, "ratePerMinute");
        this.block = Objects.requireNonNull(block, "block");
    }

    /**
     * The greeting: "This is a prepaid call from NAME, an inmate at FACILITY. [This call is recorded.]
     * MENU". A privileged call is not recorded, so it does not claim to be.
     *
     * @param namePrompt the inmate's recorded name, or null for "an inmate"
     */
    public static Playlist greeting(String language, Path namePrompt, FacilityRules facility, boolean privileged) {
        Playlist.Builder b = Playlist.in(language).prompt("prepaid-call-from");
        if (namePrompt != null) {
            b.file(namePrompt);
        } else {
            b.prompt("an-inmate");
        }
        b.prompt("an-inmate-at");
        b.prompt(facility.facilityNamePrompt() != null ? facility.facilityNamePrompt() : "a-correctional-facility");
        if (!privileged) {
            b.prompt("recorded-notice");
        }
        return b.prompt("consent-menu").build();
    }

    /** Plays the greeting and the menu until the called party decides. */
    public Decision run() {
        Set<Character> keys = Set.of(facility.acceptKey(), facility.refuseKey(), facility.rateKey(),
                facility.blockKey());
        // Digits from before the greeting (early media, a fax tone) are not an answer to it.
        called.clearTypeAhead();
        try {
            Playlist menu = facility.consentDuringNotice() ? greeting : noticeFirst();
            for (int round = 0; round < MAX_ROUNDS; round++) {
                Optional<Character> key = called.menu(menu, keys, facility.consentRepeats(),
                        facility.firstDigitTimeout());
                menu = Playlist.of(language, "consent-menu");
                if (key.isEmpty()) {
                    return Decision.NO_RESPONSE;
                }
                char k = key.get();
                if (k == facility.acceptKey()) {
                    return Decision.ACCEPTED;
                } else if (k == facility.refuseKey()) {
                    sayGoodbye(Playlist.of(language, "goodbye"));
                    return Decision.REFUSED;
                } else if (k == facility.rateKey()) {
                    called.play(rate(ratePerMinute));
                } else if (k == facility.blockKey() && confirmBlock()) {
                    block.run();
                    sayGoodbye(Playlist.of(language, "block-confirmed", "goodbye"));
                    return Decision.BLOCKED;
                }
            }
            return Decision.NO_RESPONSE;
        } catch (CallEndedException e) {
            if (e.leg() != Leg.CALLED) {
                throw e;
            }
            return Decision.HUNG_UP;
        }
    }

    /**
     * Plays what the greeting says before its menu (who is calling, and that the call is recorded) to its
     * end, with no barge-in, then forgets the keys pressed meanwhile: many states require the called party
     * to hear the notice before consenting, so a key pressed during it is no consent. Returns the rest of
     * the greeting, the menu, which takes keys from its first word.
     */
    private Playlist noticeFirst() {
        List<Playlist.Segment> parts = greeting.segments();
        int menuAt = parts.lastIndexOf(new Playlist.PromptRef("consent-menu"));
        if (menuAt <= 0) {
            return greeting;
        }
        called.play(new Playlist(greeting.language(), parts.subList(0, menuAt)));
        called.clearTypeAhead();
        return new Playlist(greeting.language(), parts.subList(menuAt, parts.size()));
    }

    /** The decision is made: a hangup while hearing goodbye does not change it. */
    private void sayGoodbye(Playlist goodbye) {
        try {
            called.play(goodbye);
        } catch (CallEndedException e) {
            if (e.leg() != Leg.CALLED) {
                throw e;
            }
        }
    }

    private boolean confirmBlock() {
        called.clearTypeAhead();
        Collected again = called.playAndCollect(Playlist.of(language, "confirm-block"),
                DigitSpec.oneKey(facility.firstDigitTimeout()));
        return again.digits().equals(String.valueOf(facility.blockKey()));
    }

    private Playlist rate(BigDecimal perMinute) {
        return Playlist.in(language).prompt("rate-is").rate(perMinute).prompt("per-minute").build();
    }
}
