package io.kinline.store;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A correctional facility and the calling rules it sets. Immutable; use {@link #builder(String)}
 * to create one and {@link #toBuilder()} to derive a patched copy.
 *
 * @param monthlyMinutes {@code null} means unlimited
 * @param localNpas area codes (NPAs) whose numbers are {@link CallType#LOCAL}
 * @param stateNpas area codes inside the facility's state ({@link CallType#IN_STATE}); local NPAs
 *                  count as in-state too
 * @param state two-letter state code, informational
 * @param consentDuringNotice a consent key pressed before the called party has heard the whole notice
 *                  (who is calling, and that the call is recorded) counts; false (the default) plays the
 *                  notice to its end and discards keys pressed during it
 * @param threeWay what the switch does when it detects a three-way attempt on a call (docs/THREEWAY.md)
 * @param identification how a caller identifies themselves: the PIN alone, or the inmate number then the PIN
 */
public record Facility(
        String id,
        String name,
        String namePrompt,
        ZoneId timezone,
        boolean languageMenu,
        String defaultLanguage,
        boolean allowInternational,
        PhoneHours phoneHours,
        int maxCallMinutes,
        int callsPerDay,
        Integer monthlyMinutes,
        int cooldownSeconds,
        int reminderMinutes,
        int warningSeconds,
        int pinLength,
        int pinMaxAttempts,
        int pinLockMinutes,
        boolean approvedListRequired,
        RateTable rates,
        int answerTimeoutSeconds,
        int consentRepeats,
        int billingRoundingSeconds,
        String state,
        List<String> localNpas,
        List<String> stateNpas,
        boolean consentDuringNotice,
        ThreeWay threeWay,
        Identification identification) {

    /**
     * The facility's answer to a detected three-way attempt. False cut-offs are what families complain
     * about most, hence the default.
     */
    public enum ThreeWay {
        /** Write an incident with the evidence and mark the call record; the call goes on. */
        FLAG,
        /** As FLAG, and tell both parties that three-way calls are not allowed. */
        WARN,
        /** As FLAG; on a strong detection (a flash, then a dial tone or dialling) say why and hang up. */
        DISCONNECT
    }

    /** How a caller identifies themselves at the facility's phones (docs/CALLFLOW.md, "Identification"). */
    public enum Identification {
        /** The PIN alone names the inmate (PINs are unique per facility). */
        PIN,
        /**
         * The inmate number ({@link Inmate#number}), then the PIN, checked against that inmate only: wrong PINs
         * count against the inmate too and lock their PIN.
         */
        ID_PIN
    }

    public Facility {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(defaultLanguage, "defaultLanguage");
        Objects.requireNonNull(phoneHours, "phoneHours");
        Objects.requireNonNull(rates, "rates");
        threeWay = threeWay == null ? ThreeWay.FLAG : threeWay;
        identification = identification == null ? Identification.PIN : identification;
        localNpas = localNpas == null ? List.of() : List.copyOf(localNpas);
        stateNpas = stateNpas == null ? List.of() : List.copyOf(stateNpas);
        if (maxCallMinutes <= 0 || callsPerDay < 0 || cooldownSeconds < 0 || reminderMinutes < 0
                || warningSeconds < 0 || pinLength < 1 || pinMaxAttempts < 1 || pinLockMinutes < 0
                || answerTimeoutSeconds <= 0 || consentRepeats < 1 || billingRoundingSeconds < 1
                || (monthlyMinutes != null && monthlyMinutes < 0)) {
            throw new IllegalArgumentException("facility " + id + ": a limit is out of range");
        }
    }

    public static Builder builder(String id) {
        return new Builder().id(id);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id; b.name = name; b.namePrompt = namePrompt; b.timezone = timezone;
        b.languageMenu = languageMenu; b.defaultLanguage = defaultLanguage;
        b.allowInternational = allowInternational; b.phoneHours = phoneHours;
        b.maxCallMinutes = maxCallMinutes; b.callsPerDay = callsPerDay; b.monthlyMinutes = monthlyMinutes;
        b.cooldownSeconds = cooldownSeconds; b.reminderMinutes = reminderMinutes;
        b.warningSeconds = warningSeconds; b.pinLength = pinLength; b.pinMaxAttempts = pinMaxAttempts;
        b.pinLockMinutes = pinLockMinutes; b.approvedListRequired = approvedListRequired; b.rates = rates;
        b.answerTimeoutSeconds = answerTimeoutSeconds; b.consentRepeats = consentRepeats;
        b.billingRoundingSeconds = billingRoundingSeconds; b.state = state; b.localNpas = localNpas;
        b.stateNpas = stateNpas; b.consentDuringNotice = consentDuringNotice; b.threeWay = threeWay;
        b.identification = identification;
        return b;
    }

    /** Builder with the documented defaults (15-minute calls, $0.06/min, 60 s rounding...). */
    public static final class Builder {
        private String id;
        private String name;
        private String namePrompt;
        private ZoneId timezone = ZoneId.of("UTC");
        private boolean languageMenu = true;
        private String defaultLanguage = "en";
        private boolean allowInternational = false;
        private PhoneHours phoneHours = PhoneHours.ALWAYS;
        private int maxCallMinutes = 15;
        private int callsPerDay = 10;
        private Integer monthlyMinutes = null;
        private int cooldownSeconds = 0;
        private int reminderMinutes = 5;
        private int warningSeconds = 60;
        private int pinLength = 4;
        private int pinMaxAttempts = 3;
        private int pinLockMinutes = 15;
        private boolean approvedListRequired = false;
        private RateTable rates = RateTable.flat(new BigDecimal("0.06"));
        private int answerTimeoutSeconds = 30;
        private int consentRepeats = 2;
        private int billingRoundingSeconds = 60;
        private String state;
        private List<String> localNpas = List.of();
        private List<String> stateNpas = List.of();
        private boolean consentDuringNotice = false;
        private ThreeWay threeWay = ThreeWay.FLAG;
        private Identification identification = Identification.PIN;

        private Builder() {
        }

        public Builder id(String v) { this.id = v; return this; }
        public Builder name(String v) { this.name = v; return this; }
        public Builder namePrompt(String v) { this.namePrompt = v; return this; }
        public Builder timezone(ZoneId v) { this.timezone = v; return this; }
        public Builder languageMenu(boolean v) { this.languageMenu = v; return this; }
        public Builder defaultLanguage(String v) { this.defaultLanguage = v; return this; }
        public Builder allowInternational(boolean v) { this.allowInternational = v; return this; }
        public Builder phoneHours(PhoneHours v) { this.phoneHours = v; return this; }
        public Builder maxCallMinutes(int v) { this.maxCallMinutes = v; return this; }
        public Builder callsPerDay(int v) { this.callsPerDay = v; return this; }
        public Builder monthlyMinutes(Integer v) { this.monthlyMinutes = v; return this; }
        public Builder cooldownSeconds(int v) { this.cooldownSeconds = v; return this; }
        public Builder reminderMinutes(int v) { this.reminderMinutes = v; return this; }
        public Builder warningSeconds(int v) { this.warningSeconds = v; return this; }
        public Builder pinLength(int v) { this.pinLength = v; return this; }
        public Builder pinMaxAttempts(int v) { this.pinMaxAttempts = v; return this; }
        public Builder pinLockMinutes(int v) { this.pinLockMinutes = v; return this; }
        public Builder approvedListRequired(boolean v) { this.approvedListRequired = v; return this; }
        public Builder rates(RateTable v) { this.rates = v; return this; }
        public Builder answerTimeoutSeconds(int v) { this.answerTimeoutSeconds = v; return this; }
        public Builder consentRepeats(int v) { this.consentRepeats = v; return this; }
        public Builder billingRoundingSeconds(int v) { this.billingRoundingSeconds = v; return this; }
        public Builder state(String v) { this.state = v; return this; }
        public Builder localNpas(List<String> v) { this.localNpas = v; return this; }
        public Builder stateNpas(List<String> v) { this.stateNpas = v; return this; }
        public Builder consentDuringNotice(boolean v) { this.consentDuringNotice = v; return this; }
        public Builder threeWay(ThreeWay v) { this.threeWay = v; return this; }
        public Builder identification(Identification v) { this.identification = v; return this; }

        public Facility build() {
            return new Facility(id, name, namePrompt, timezone, languageMenu, defaultLanguage,
                    allowInternational, phoneHours, maxCallMinutes, callsPerDay, monthlyMinutes,
                    cooldownSeconds, reminderMinutes, warningSeconds, pinLength, pinMaxAttempts,
                    pinLockMinutes, approvedListRequired, rates, answerTimeoutSeconds, consentRepeats,
                    billingRoundingSeconds, state, localNpas, stateNpas, consentDuringNotice, threeWay,
                    identification);
        }
    }
}
