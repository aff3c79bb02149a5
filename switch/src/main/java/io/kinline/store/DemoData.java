package io.kinline.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds the demo facility on first start. Every step is "create if absent" and the
 * {@code demo-data} marker is written last, so a load interrupted half-way is completed on the
 * next start, and a completed load is never repeated (even if an operator later deletes or edits
 * demo rows). See docs/STORAGE.md for the table of demo data.
 */
public final class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    public static final String MARKER = "demo-data";
    public static final String FACILITY = "scc";
    public static final BigDecimal RATE = new BigDecimal("0.06");

    private DemoData() {
    }

    /** Loads the demo data unless it was loaded before. Returns true if it loaded now. */
    public static boolean load(Store store) {
        if (store.meta(MARKER).isPresent()) {
            return false;
        }
        Facilities f = store.facilities();
        if (f.get(FACILITY).isEmpty()) {
            f.create(Facility.builder(FACILITY)
                    .name("South Central Correctional Center")
                    .namePrompt("facility-south-central")
                    .timezone(ZoneId.of("America/Chicago"))
                    .languageMenu(false) // handsets go straight to the PIN; each inmate hears their own language after it
                    .defaultLanguage("en")
                    .allowInternational(false)
                    .phoneHours(PhoneHours.ALWAYS) // the demo must work at any hour
                    .maxCallMinutes(15)
                    .callsPerDay(20)
                    .monthlyMinutes(null)
                    .cooldownSeconds(0)
                    .reminderMinutes(5)
                    .warningSeconds(60)
                    .pinLength(4)
                    .pinMaxAttempts(3)
                    .pinLockMinutes(15)
                    .approvedListRequired(false)
                    .rates(RateTable.flat(RATE))
                    .answerTimeoutSeconds(30)
                    .consentRepeats(2)
                    .billingRoundingSeconds(60)
                    .state("MO")
                    .localNpas(List.of("573"))
                    .stateNpas(List.of("235", "314", "417", "557", "573", "636", "660", "816", "975"))
                    .build());
        }
        unit(f, new HousingUnit("gen", FACILITY, "General Population", null, false, null, null));
        // Closed nearly all day: the outside-hours test case.
        unit(f, new HousingUnit("unit-c", FACILITY, "Unit C (limited hours)",
                new PhoneHours(LocalTime.of(3, 0), LocalTime.of(3, 1)), false, null, null));
        unit(f, new HousingUnit("seg", FACILITY, "Segregation", null, true,
                new PhoneHours(LocalTime.of(8, 0), LocalTime.of(10, 0)), 1));
        for (int i = 1001; i <= 1010; i++) {
            station(f, new Station(Integer.toString(i), FACILITY, Station.Kind.HANDSET, null));
        }
        station(f, new Station("2001", FACILITY, Station.Kind.TABLET, null));

        Inmates in = store.inmates();
        inmate(in, Inmate.of("A1001", FACILITY, "John Doe", "en", "gen"), "1234");
        inmate(in, Inmate.of("A1002", FACILITY, "Maria Lopez", "es", "gen"), "5678");
        inmate(in, Inmate.of("A1003", FACILITY, "Robert Smith", "en", "gen")
                .withStatus(Inmate.Status.RESTRICTED, null), "4321");
        inmate(in, Inmate.of("A1004", FACILITY, "James Brown", "en", "unit-c"), "2468");
        inmate(in, Inmate.of("A1005", FACILITY, "David Wilson", "en", "seg")
                .withStatus(Inmate.Status.SEGREGATION, null), "1357");

        Accounts a = store.accounts();
        for (String id : List.of("A1001", "A1002", "A1003", "A1004", "A1005")) {
            if (a.debit(id).isEmpty()) {
                a.depositDebit(id, new BigDecimal("20.00"));
            }
        }
        prepaid(a, "+15735550100", "25.00");
        prepaid(a, "+15735550111", "0.03");
        prepaid(a, "+13145550122", "10.00");
        prepaid(a, "+12125550133", "5.00");

        if (in.approved("A1002").isEmpty()) {
            in.addApproved(new ApprovedNumber("A1002", "+15735550100", "Mother"));
            in.addApproved(new ApprovedNumber("A1002", "+13145550122", "Sister"));
        }
        if (store.numbers().findPrivileged(FACILITY, "+15735550199").isEmpty()) {
            store.numbers().addPrivileged(new PrivilegedNumber(0, FACILITY, "+15735550199",
                    PrivilegedNumber.Kind.ATTORNEY, "Public Defender (demo)"));
        }
        Instant now = Instant.now();
        Blocks b = store.blocks();
        if (b.list("+15735550166", FACILITY, null, true).isEmpty()) {
            b.add(Block.of("+15735550166", FACILITY, Block.Type.FACILITY, null, "demo",
                    now, "demo: victim's number"));
        }
        if (b.list("+15735550177", FACILITY, "A1001", true).isEmpty()) {
            b.add(Block.of("+15735550177", FACILITY, Block.Type.NO_CONTACT, "A1001", "demo",
                    now, "demo: no-contact order for A1001"));
        }
        boolean first = store.putMetaIfAbsent(MARKER, now.toString());
        if (first) {
            log.info("loaded demo data: facility {}", FACILITY);
        }
        return first;
    }

    private static void unit(Facilities f, HousingUnit u) {
        if (f.unit(u.id()).isEmpty()) {
            f.createUnit(u);
        }
    }

    private static void station(Facilities f, Station s) {
        if (f.station(s.id()).isEmpty()) {
            f.createStation(s);
        }
    }

    private static void inmate(Inmates in, Inmate i, String pin) {
        if (in.get(i.id()).isEmpty()) {
            in.create(i, pin);
        }
    }

    private static void prepaid(Accounts a, String btn, String amount) {
        if (a.prepaid(btn).isEmpty()) {
            a.depositPrepaid(btn, new BigDecimal(amount));
        }
    }
}
