package io.kinline.billing;

import io.kinline.store.AccountKind;
import java.util.Objects;

/** The account a call is charged to: DEBIT + inmate id, or PREPAID + BTN. */
public record FundingSource(AccountKind kind, String key) {

    public FundingSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }

    public static FundingSource debit(String inmateId) {
        return new FundingSource(AccountKind.DEBIT, inmateId);
    }

    public static FundingSource prepaid(String btn) {
        return new FundingSource(AccountKind.PREPAID, btn);
    }
}
