package io.kinline.policy;

/**
 * Why a call was not placed: the reason code written to the call record and the prompt the inmate
 * hears. The codes and prompt names are a contract with the store and the prompt set: do not rename.
 */
public enum DenialReason {
    RESTRICTED("restricted", "denied-restricted"),
    SEGREGATION("segregation", "denied-segregation"),
    OUTSIDE_HOURS("outside_hours", "denied-outside-hours"),
    DAILY_LIMIT("daily_limit", "denied-daily-limit"),
    MONTHLY_MINUTES("monthly_minutes", "denied-monthly-minutes"),
    COOLDOWN("cooldown", "denied-cooldown"),
    NOT_APPROVED("not_approved", "denied-not-approved"),
    BLOCKED_NUMBER("blocked_number", "denied-blocked"),
    NO_CONTACT("no_contact", "denied-no-contact"),
    TOLL_FREE("toll_free", "denied-toll-free"),
    PREMIUM("premium", "denied-premium"),
    N11("n11", "denied-n11"),
    DIRECTORY_ASSISTANCE("directory_assistance", "denied-directory"),
    INTERNATIONAL("international", "denied-international"),
    INVALID_NUMBER("invalid_number", "number-invalid"),
    /** The prompt depends on the account: see {@link #INSUFFICIENT_FUNDS_PREPAID_PROMPT}. */
    INSUFFICIENT_FUNDS("insufficient_funds", "denied-insufficient-funds-debit"),
    PIN_FAILED("pin_failed", "pin-invalid"),
    /** The station's PIN entry is locked after too many wrong PINs (issue 10.3), whatever PIN is entered. */
    PIN_LOCKED("pin_locked", "station-locked"),
    UNKNOWN_STATION("unknown_station", "denied-unknown-station");

    /** The insufficient-funds prompt that names the called number's prepaid account. */
    public static final String INSUFFICIENT_FUNDS_PREPAID_PROMPT = "denied-insufficient-funds-prepaid";

    /** The catch-all prompt when the system itself fails. */
    public static final String SYSTEM_PROMPT = "denied-system";

    private final String code;
    private final String prompt;

    DenialReason(String code, String prompt) {
        this.code = code;
        this.prompt = prompt;
    }

    /** The reason code for the call record. */
    public String code() {
        return code;
    }

    /** The default prompt the inmate hears. */
    public String prompt() {
        return prompt;
    }

    /** The denial with this reason's default prompt and no incident. */
    public Denial deny(String detail) {
        return new Denial(this, prompt, detail, null);
    }
}
