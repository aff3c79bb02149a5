package io.kinline.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kinline.store.CallType;
import io.kinline.store.Facility;
import io.kinline.store.RateTable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallClassifierTest {

    final Facility scc = Facility.builder("scc").name("SCC").localNpas(List.of("573"))
            .stateNpas(List.of("314", "417", "573", "636", "660", "816"))
            .rates(new RateTable(new BigDecimal("0.06"), Map.of(CallType.INTERNATIONAL, new BigDecimal("0.25"))))
            .build();

    @Test
    void classifiesRelativeToHomeArea() {
        assertEquals(CallType.LOCAL, CallClassifier.classify("+15735550100", scc));
        assertEquals(CallType.IN_STATE, CallClassifier.classify("+13145550100", scc));
        assertEquals(CallType.INTERSTATE, CallClassifier.classify("+12125550100", scc));
        assertEquals(CallType.INTERNATIONAL, CallClassifier.classify("+525512345678", scc));
        assertEquals(CallType.INTERNATIONAL, CallClassifier.classify("+442071234567", scc));
    }

    @Test
    void rateFollowsType() {
        assertEquals(new BigDecimal("0.06"), CallClassifier.rateFor("+12125550100", scc));
        assertEquals(new BigDecimal("0.25"), CallClassifier.rateFor("+442071234567", scc));
    }

    @Test
    void rejectsNonE164() {
        assertThrows(IllegalArgumentException.class, () -> CallClassifier.classify("5735550100", scc));
        assertThrows(IllegalArgumentException.class, () -> CallClassifier.classify("+1573555010", scc));
        assertThrows(IllegalArgumentException.class, () -> CallClassifier.classify("+1573555O100", scc));
    }
}
