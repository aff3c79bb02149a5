package io.kinline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The layering, enforced on the main classes of media/ and switch/ (ArchUnit). Below {@code call} sit
 * the capabilities it composes: {@code script} (with {@code ivr} and {@code policy}), {@code billing},
 * {@code store}, {@code sip} and {@code media}; above it, {@code admin}, {@code cli}, {@code demo} and
 * {@code config}, which wire things together. See docs/ARCHITECTURE.md.
 */
@AnalyzeClasses(packages = "io.kinline", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] SWITCH = {"io.kinline.sip..", "io.kinline.call..", "io.kinline.script..",
        "io.kinline.ivr..", "io.kinline.policy..", "io.kinline.billing..", "io.kinline.store..",
        "io.kinline.admin..", "io.kinline.cli..", "io.kinline.demo..", "io.kinline.config..", "io.kinline.metrics.."};

    private static final String[] BELOW_CALL = {"io.kinline.script..", "io.kinline.ivr..", "io.kinline.policy..",
        "io.kinline.billing..", "io.kinline.store..", "io.kinline.sip..", "io.kinline.media..", "io.kinline.log.."};

    private static final ArchRule MEDIA_KNOWS_NO_SIP = noClasses().that().resideInAPackage("io.kinline.media..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(SWITCH, "javax.sip..", "gov.nist.javax.sip.."))
            .because("media/ terminates RTP for any signalling: the switch hands it SDP strings");

    @ArchTest
    static void mediaKnowsNoSip(JavaClasses classes) {
        MEDIA_KNOWS_NO_SIP.check(classes);
    }

    private static final ArchRule SIP_KNOWS_NO_CALLS_MEDIA_OR_STORAGE = noClasses()
            .that().resideInAPackage("io.kinline.sip..")
            .should().dependOnClassesThat().resideInAnyPackage("io.kinline.media..", "io.kinline.call..",
                    "io.kinline.script..", "io.kinline.ivr..", "io.kinline.policy..", "io.kinline.billing..",
                    "io.kinline.store..", "io.kinline.admin..")
            .because("the SIP stack is a user agent; the B2BUA (call) sits on its API");

    @ArchTest
    static void sipKnowsNoCallsMediaOrStorage(JavaClasses classes) {
        SIP_KNOWS_NO_CALLS_MEDIA_OR_STORAGE.check(classes);
    }

    private static final ArchRule NOTHING_BELOW_CALL_IMPORTS_ADMIN = noClasses()
            .that().resideInAnyPackage(BELOW_CALL)
            .should().dependOnClassesThat().resideInAPackage("io.kinline.admin..")
            .because("the admin API sits on top: the call layer implements its interfaces, nothing below knows it");

    @ArchTest
    static void nothingBelowCallImportsAdmin(JavaClasses classes) {
        NOTHING_BELOW_CALL_IMPORTS_ADMIN.check(classes);
    }

    private static final ArchRule NOTHING_BELOW_CALL_IMPORTS_THE_CALL_LAYER = noClasses()
            .that().resideInAnyPackage(BELOW_CALL)
            .should().dependOnClassesThat().resideInAPackage("io.kinline.call..")
            .because("call composes the capabilities below it");

    @ArchTest
    static void nothingBelowCallImportsTheCallLayer(JavaClasses classes) {
        NOTHING_BELOW_CALL_IMPORTS_THE_CALL_LAYER.check(classes);
    }

    private static final ArchRule ONLY_STORE_JDBC_TOUCHES_JDBC = noClasses()
            .that().resideOutsideOfPackage("io.kinline.store.jdbc..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer.hikari..",
                    "org.flywaydb..", "org.h2..", "org.postgresql..")
            .because("SQL and its table/key mappings live in one package; others go through the store's interfaces");

    @ArchTest
    static void onlyStoreJdbcTouchesJdbc(JavaClasses classes) {
        ONLY_STORE_JDBC_TOUCHES_JDBC.check(classes);
    }

    private static final ArchRule ONLY_THE_STORE_REACHES_ITS_JDBC_IMPLEMENTATION = noClasses()
            .that().resideOutsideOfPackage("io.kinline.store..")
            .should().dependOnClassesThat().resideInAPackage("io.kinline.store.jdbc..")
            .because("billing and the admin API use Store, Ledger and the repositories, not their SQL");

    @ArchTest
    static void onlyTheStoreReachesItsJdbcImplementation(JavaClasses classes) {
        ONLY_THE_STORE_REACHES_ITS_JDBC_IMPLEMENTATION.check(classes);
    }

    private static final ArchRule CAPABILITIES_HAVE_NO_CYCLES = slices().matching("io.kinline.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static void capabilitiesHaveNoCycles(JavaClasses classes) {
        CAPABILITIES_HAVE_NO_CYCLES.check(classes);
    }

    @ArchTest
    static void everyPackageSaysWhatItOwns(JavaClasses classes) {
        Set<String> missing = new TreeSet<>();
        for (JavaClass c : classes) {
            JavaPackage p = c.getPackage();
            if (p.tryGetPackageInfo().isEmpty()) {
                missing.add(p.getName());
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("every package has a package-info.java saying what it owns; these have none: "
                    + missing);
        }
    }

    @ArchTest
    static void noTwoTopLevelClassesShareASimpleName(JavaClasses classes) {
        Map<String, Set<String>> byName = new TreeMap<>();
        for (JavaClass c : classes) {
            if (c.isTopLevelClass() && !c.getSimpleName().equals("package-info")) {
                byName.computeIfAbsent(c.getSimpleName(), k -> new TreeSet<>()).add(c.getName());
            }
        }
        byName.values().removeIf(names -> names.size() < 2);
        if (!byName.isEmpty()) {
            throw new AssertionError("one concept, one type: an IDE's auto-import picks the wrong one of " + byName);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
