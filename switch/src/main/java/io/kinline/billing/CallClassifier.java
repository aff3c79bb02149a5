package io.kinline.billing;

import io.kinline.store.CallType;
import io.kinline.store.Facility;
import java.util.Collection;

/**
 * Classifies an E.164 destination relative to a facility's home area. North American Numbering
 * Plan numbers (+1 NPA NXX XXXX) are LOCAL if the NPA is in the facility's local list, IN_STATE if
 * in its state list, otherwise INTERSTATE; everything outside +1 is INTERNATIONAL. (Canada and
 * the Caribbean share +1 but are billed as interstate here: good enough for rates that the 2024
 * FCC order flattened; a facility that cares lists NPAs explicitly.)
 */
public final class CallClassifier {

    private CallClassifier() {
    }

    public static CallType classify(String e164, Facility facility) {
        return classify(e164, facility.localNpas(), facility.stateNpas());
    }

    public static CallType classify(String e164, Collection<String> localNpas, Collection<String> stateNpas) {
        if (e164 == null || !e164.startsWith("+") || e164.length() < 2) {
            throw new IllegalArgumentException("not an E.164 number: " + e164);
        }
        for (int i = 1; i < e164.length(); i++) {
            if (!Character.isDigit(e164.charAt(i))) {
                throw new IllegalArgumentException("not an E.164 number: " + e164);
            }
        }
        if (e164.charAt(1) != '1') {
            return CallType.INTERNATIONAL;
        }
        if (e164.length() != 12) {
            throw new IllegalArgumentException("NANP number must have 10 digits after +1: " + e164);
        }
        String npa = e164.substring(2, 5);
        if (localNpas.contains(npa)) {
            return CallType.LOCAL;
        }
        if (stateNpas.contains(npa)) {
            return CallType.IN_STATE;
        }
        return CallType.INTERSTATE;
    }

    /** Rate per minute for this destination at this facility. */
    public static java.math.BigDecimal rateFor(String e164, Facility facility) {
        return facility.rates().rateFor(classify(e164, facility));
    }
}
