package io.kinline.script;

/** Who pays for a call. */
public enum Funding {
    /** The inmate's debit account (canteen, kiosk). */
    DEBIT("debit"),
    /** The family's prepaid account for the called number (BTN). */
    PREPAID("prepaid"),
    /** Nothing to pay: the facility's rate is zero, or the call never connected. */
    FREE("free");

    private final String code;

    Funding(String code) {
        this.code = code;
    }

    /** The code in call records. */
    public String code() {
        return code;
    }
}
