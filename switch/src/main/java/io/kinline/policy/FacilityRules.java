package io.kinline.policy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A facility's calling rules and call-flow settings. The lead maps the store's facility row into this;
 * every field has a default ({@link #builder(String)}), listed in docs/CALLFLOW.md.
 *
 * <p>No rate here: what a call costs depends on the number dialled (its call type), so the call
 * script asks for the call's rate once the number is known and passes it to
 * {@link Policy#allowedLength}.
 *
 * @param facilityId          the facility's id in the store
 * @param facilityNamePrompt  prompt naming the facility ({@code facility-south-central}), or null for
 *                            {@code a-correctional-facility}
 * @param zone                the facility's time zone, for phone hours and "today"
 * @param defaultLanguage     language before the inmate is known (default {@code en})
 * @param languageMenu        offer "for English press 1, para español oprima 2" (default false)
 * @param secondLanguage      the language behind key 2 of the language menu (default {@code es})
 * @param homeNpa             area code for seven-digit dialing, or null to refuse seven digits
 * @param pinLength           PIN digits; collection stops there. 0 = variable length ended by {@code #}
 * @param pinAttempts         wrong PINs before the call ends and the PIN locks (default 3)
 * @param pinLockout          how long a PIN stays locked (default 30 min)
 * @param firstDigitTimeout   wait for the first digit after a prompt (default 8 s)
 * @param interDigitTimeout   wait between digits (default 4 s)
 * @param maxCallLength       longest call (default 15 min)
 * @param callsPerDay         calls per local day, 0 = unlimited (default 0)
 * @param monthlyMinutes      minutes per calendar month, 0 = unlimited (default 0)
 * @param cooldown            pause between the end of a call and the next one (default none)
 * @param requireApprovedList only numbers on the inmate's approved list (default false)
 * @param allowInternational  international destinations allowed (default false)
 * @param segregationHours    phone hours for inmates in segregation (default 10:00-11:00)
 * @param segregationCallsPerDay calls per day in segregation (default 1)
 * @param answerTimeout       ring time before giving up on the called party (default 45 s)
 * @param consentRepeats      times the consent menu repeats when no key is pressed (default 2)
 * @param consentDuringNotice a consent key pressed before the notice (who is calling, and that the call is
 *                            recorded) has finished counts (default false: the notice plays to its end
 *                            without barge-in and keys pressed during it are discarded)
 * @param acceptKey           consent key to accept (default 1)
 * @param refuseKey           consent key to refuse (default 2)
 * @param rateKey             consent key to hear the rate (default 5)
 * @param blockKey            consent key to block, pressed twice (default 9)
 * @param reminderInterval    "this call is from a correctional facility" reminder (default 5 min;
 *                            zero disables)
 * @param warningBefore       the one-minute warning plays this long before the limit (default 60 s)
 * @param nameMaxMillis       longest recorded name (default 3000 ms)
 * @param threeWayAction      what to do when the three-way detector flags the call (default FLAG)
 * @param idPin               the caller keys their inmate number, then the PIN (facility setting
 *                            {@code identification: id_pin}); false (the default): the PIN alone
 */
public record FacilityRules(
        String facilityId,
        String facilityNamePrompt,
        ZoneId zone,
        String defaultLanguage,
        boolean languageMenu,
        String secondLanguage,
        String homeNpa,
        int pinLength,
        int pinAttempts,
        Duration pinLockout,
        Duration firstDigitTimeout,
        Duration interDigitTimeout,
        Duration maxCallLength,
        int callsPerDay,
        int monthlyMinutes,
        Duration cooldown,
        boolean requireApprovedList,
        boolean allowInternational,
        PhoneSchedule segregationHours,
        int segregationCallsPerDay,
        Duration answerTimeout,
        int consentRepeats,
        boolean consentDuringNotice,
        char acceptKey,
        char refuseKey,
        char rateKey,
        char blockKey,
        Duration reminderInterval,
        Duration warningBefore,
        int nameMaxMillis,
        ThreeWayAction threeWayAction,
        boolean idPin) {

    /** Longest PIN accepted when {@link #pinLength} is 0. */
    public static final int MAX_PIN_DIGITS = 16;

    /** What the script does when the three-way detector flags the call (docs/THREEWAY.md). */
    public enum ThreeWayAction {
        /** An incident with the evidence, the call record marked; the call goes on (false cut-offs anger families). */
        FLAG,
        /** As FLAG, and both parties hear that three-way calls are not allowed (once per episode). */
        WARN,
        /**
         * As FLAG; on a strong detection only (a flash, then a dial tone or dialling within 10 s) both
         * parties hear why, and the call is cut off with reason {@code three_way}.
         */
        DISCONNECT
    }

    public FacilityRules {
        Objects.requireNonNull(facilityId, "facilityId");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(defaultLanguage, "defaultLanguage");
        Objects.requireNonNull(secondLanguage, "secondLanguage");
        Objects.requireNonNull(segregationHours, "segregationHours");
        Objects.requireNonNull(threeWayAction, "threeWayAction");
        requirePositive(firstDigitTimeout, "firstDigitTimeout");
        requirePositive(interDigitTimeout, "interDigitTimeout");
        requirePositive(maxCallLength, "maxCallLength");
        requirePositive(answerTimeout, "answerTimeout");
        Objects.requireNonNull(pinLockout, "pinLockout");
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(reminderInterval, "reminderInterval");
        Objects.requireNonNull(warningBefore, "warningBefore");
        if (pinLength < 0 || pinLength > MAX_PIN_DIGITS) {
            throw new IllegalArgumentException("pinLength " + pinLength);
        }
        if (pinAttempts < 1 || consentRepeats < 0 || callsPerDay < 0 || monthlyMinutes < 0
                || segregationCallsPerDay < 0 || nameMaxMillis < 0) {
            throw new IllegalArgumentException("negative or zero count in facility rules " + facilityId);
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** The defaults for a facility. */
    public static Builder builder(String facilityId) {
        return new Builder(facilityId);
    }

    public Builder toBuilder() {
        Builder b = new Builder(facilityId);
        b.facilityNamePrompt = facilityNamePrompt;
        b.zone = zone;
        b.defaultLanguage = defaultLanguage;
        b.languageMenu = languageMenu;
        b.secondLanguage = secondLanguage;
        b.homeNpa = homeNpa;
        b.pinLength = pinLength;
        b.pinAttempts = pinAttempts;
        b.pinLockout = pinLockout;
        b.firstDigitTimeout = firstDigitTimeout;
        b.interDigitTimeout = interDigitTimeout;
        b.maxCallLength = maxCallLength;
        b.callsPerDay = callsPerDay;
        b.monthlyMinutes = monthlyMinutes;
        b.cooldown = cooldown;
        b.requireApprovedList = requireApprovedList;
        b.allowInternational = allowInternational;
        b.segregationHours = segregationHours;
        b.segregationCallsPerDay = segregationCallsPerDay;
        b.answerTimeout = answerTimeout;
        b.consentRepeats = consentRepeats;
        b.consentDuringNotice = consentDuringNotice;
        b.acceptKey = acceptKey;
        b.refuseKey = refuseKey;
        b.rateKey = rateKey;
        b.blockKey = blockKey;
        b.reminderInterval = reminderInterval;
        b.warningBefore = warningBefore;
        b.nameMaxMillis = nameMaxMillis;
        b.threeWayAction = threeWayAction;
        b.idPin = idPin;
        return b;
    }

    /** Builder; fields start at the documented defaults. */
    public static final class Builder {
        private final String facilityId;
        private String facilityNamePrompt;
        private ZoneId zone = ZoneId.of("America/Chicago");
        private String defaultLanguage = "en";
        private boolean languageMenu;
        private String secondLanguage = "es";
        private String homeNpa;
        private int pinLength;
        private int pinAttempts = 3;
        private Duration pinLockout = Duration.ofMinutes(30);
        private Duration firstDigitTimeout = Duration.ofSeconds(8);
        private Duration interDigitTimeout = Duration.ofSeconds(4);
        private Duration maxCallLength = Duration.ofMinutes(15);
        private int callsPerDay;
        private int monthlyMinutes;
        private Duration cooldown = Duration.ZERO;
        private boolean requireApprovedList;
        private boolean allowInternational;
        private PhoneSchedule segregationHours = PhoneSchedule.parse("10:00-11:00");
        private int segregationCallsPerDay = 1;
        private Duration answerTimeout = Duration.ofSeconds(45);
        private int consentRepeats = 2;
        private boolean consentDuringNotice;
        private char acceptKey = '1';
        private char refuseKey = '2';
        private char rateKey = '5';
        private char blockKey = '9';
        private Duration reminderInterval = Duration.ofMinutes(5);
        private Duration warningBefore = Duration.ofSeconds(60);
        private int nameMaxMillis = 3000;
        private ThreeWayAction threeWayAction = ThreeWayAction.FLAG;
        private boolean idPin = false;

        private Builder(String facilityId) {
            this.facilityId = facilityId;
        }

        public Builder facilityNamePrompt(String v) { facilityNamePrompt = v; return this; }
        public Builder zone(ZoneId v) { zone = v; return this; }
        public Builder defaultLanguage(String v) { defaultLanguage = v; return this; }
        public Builder languageMenu(boolean v) { languageMenu = v; return this; }
        public Builder secondLanguage(String v) { secondLanguage = v; return this; }
        public Builder homeNpa(String v) { homeNpa = v; return this; }
        public Builder pinLength(int v) { pinLength = v; return this; }
        public Builder pinAttempts(int v) { pinAttempts = v; return this; }
        public Builder pinLockout(Duration v) { pinLockout = v; return this; }
        public Builder firstDigitTimeout(Duration v) { firstDigitTimeout = v; return this; }
        public Builder interDigitTimeout(Duration v) { interDigitTimeout = v; return this; }
        public Builder maxCallLength(Duration v) { maxCallLength = v; return this; }
        public Builder callsPerDay(int v) { callsPerDay = v; return this; }
        public Builder monthlyMinutes(int v) { monthlyMinutes = v; return this; }
        public Builder cooldown(Duration v) { cooldown = v; return this; }
        public Builder requireApprovedList(boolean v) { requireApprovedList = v; return this; }
        public Builder allowInternational(boolean v) { allowInternational = v; return this; }
        public Builder segregationHours(PhoneSchedule v) { segregationHours = v; return this; }
        public Builder segregationCallsPerDay(int v) { segregationCallsPerDay = v; return this; }
        public Builder answerTimeout(Duration v) { answerTimeout = v; return this; }
        public Builder consentRepeats(int v) { consentRepeats = v; return this; }
        public Builder consentDuringNotice(boolean v) { consentDuringNotice = v; return this; }
        public Builder acceptKey(char v) { acceptKey = v; return this; }
        public Builder refuseKey(char v) { refuseKey = v; return this; }
        public Builder rateKey(char v) { rateKey = v; return this; }
        public Builder blockKey(char v) { blockKey = v; return this; }
        public Builder reminderInterval(Duration v) { reminderInterval = v; return this; }
        public Builder warningBefore(Duration v) { warningBefore = v; return this; }
        public Builder nameMaxMillis(int v) { nameMaxMillis = v; return this; }
        public Builder threeWayAction(ThreeWayAction v) { threeWayAction = v; return this; }
        public Builder idPin(boolean v) { idPin = v; return this; }

        public FacilityRules build() {
            return new FacilityRules(facilityId, facilityNamePrompt, zone, defaultLanguage, languageMenu,
                    secondLanguage, homeNpa, pinLength, pinAttempts, pinLockout, firstDigitTimeout,
                    interDigitTimeout, maxCallLength, callsPerDay, monthlyMinutes, cooldown,
                    requireApprovedList, allowInternational, segregationHours, segregationCallsPerDay,
                    answerTimeout, consentRepeats, consentDuringNotice, acceptKey, refuseKey, rateKey, blockKey,
                    reminderInterval, warningBefore, nameMaxMillis, threeWayAction, idPin);
        }
    }
}
