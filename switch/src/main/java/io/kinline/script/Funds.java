package io.kinline.script;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Money available for a call.
 *
 * @param debitAvailable   the inmate's debit balance minus holds (zero when there is no account)
 * @param prepaidAvailable the called BTN's prepaid balance minus holds, or empty when the BTN has no
 *                         prepaid account
 */
public record Funds(BigDecimal debitAvailable, Optional<BigDecimal> prepaidAvailable) {
}
