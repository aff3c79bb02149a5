package io.kinline.store;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-minute rates of a facility: a default plus optional overrides per {@link CallType}.
 * Rates keep up to 4 decimals (DECIMAL(12,4)) because regulators set sub-cent caps; charges are
 * rounded to cents only when computed.
 */
public record RateTable(BigDecimal defaultRate, Map<CallType, BigDecimal> rates) {

    public RateTable {
        Objects.requireNonNull(defaultRate, "defaultRate");
        checkRate(defaultRate, "default");
        EnumMap<CallType, BigDecimal> copy = new EnumMap<>(CallType.class);
        if (rates != null) {
            rates.forEach((k, v) -> {
                if (v != null) {
                    checkRate(v, k.name());
                    copy.put(k, v);
                }
            });
        }
        rates = Collections.unmodifiableMap(copy);
    }

    /** Rates are stored as DECIMAL(12,4): non-negative, at most 4 decimals. */
    public static void checkRate(BigDecimal rate, String what) {
        if (rate.signum() < 0 || rate.stripTrailingZeros().scale() > 4 || rate.compareTo(new BigDecimal("10000")) >= 0) {
            throw new IllegalArgumentException("rate " + what + " must be 0 <= rate < 10000 with at most 4 decimals: "
                    + rate);
        }
    }

    public static RateTable flat(BigDecimal rate) {
        return new RateTable(rate, Map.of());
    }

    public BigDecimal rateFor(CallType type) {
        return rates.getOrDefault(type, defaultRate);
    }

    public RateTable with(CallType type, BigDecimal rate) {
        EnumMap<CallType, BigDecimal> m = new EnumMap<>(CallType.class);
        m.putAll(rates);
        if (rate == null) {
            m.remove(type);
        } else {
            m.put(type, rate);
        }
        return new RateTable(defaultRate, m);
    }
}
