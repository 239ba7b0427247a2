package org.rapidsrivers.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layout of docs/ARCHITECTURE.md as a test over the compiled classes of every module: dependencies point
 * inward, core knows no SDK and no SQLite and has no package cycle, its ports know nothing above them, the
 * planes' logic knows only core's ports, a service's API and the embedded host carry no AWS, the operator's
 * console and the everyday commands name no concrete backend (the session does), and no two modules depend on
 * each other. A forbidden import added anywhere fails here, with the class and the dependency it names.
 */
class LayoutTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TEST_FIXTURES)
            .importPackages("org.rapidsrivers");

    private static final String[] OUTSIDE_CORE = {"org.rapidsrivers.embedded..", "org.rapidsrivers.aws..",
        "org.rapidsrivers.hosts..", "org.rapidsrivers.control..", "org.rapidsrivers.data..", "org.rapidsrivers.service..",
        "org.rapidsrivers.function..", "org.rapidsrivers.offers..", "org.rapidsrivers.cli.."};
    /** The AWS SDKs and the Lambda libraries; aws/event-ruler (software.amazon.event.ruler) is a matcher, no SDK. */
    private static final String[] AWS_SDKS = {"software.amazon.awssdk..", "software.amazon.eventstream..", "software.amazon.lambda..",
        "com.amazonaws.."};

    @Test
    void coreKnowsNoSdkNoSqliteAndNothingAboveIt() {
        noClasses().that().resideInAPackage("org.rapidsrivers.core..")
                .should().dependOnClassesThat().resideInAnyPackage(AWS_SDKS)
                .orShould().dependOnClassesThat().resideInAnyPackage("org.sqlite..", "picocli..", "org.jline..")
                .orShould().dependOnClassesThat().resideInAnyPackage(OUTSIDE_CORE)
                .check(CLASSES);
    }

    @Test
    void coreHasNoPackageCycle() {
        slices().matching("org.rapidsrivers.core.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void thePortsKnowNothingAboveThem() {
        classes().that().resideInAPackage("org.rapidsrivers.core.ports..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                        "org.rapidsrivers.core", "org.rapidsrivers.core.ports..", "org.rapidsrivers.core.names..",
                        "org.rapidsrivers.core.event..", "org.rapidsrivers.core.json..", "org.rapidsrivers.core.control..",
                        "org.rapidsrivers.core.filter..")
                .check(CLASSES);
    }

    @Test
    void thePlanesLogicKnowsOnlyCoresPorts() {
        classes().that().resideInAnyPackage("org.rapidsrivers.control", "org.rapidsrivers.data")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.rapidsrivers.core",
                        "org.rapidsrivers.core.ports..", "org.rapidsrivers.core.plane..", "org.rapidsrivers.core.event..",
                        "org.rapidsrivers.core.control..", "org.rapidsrivers.core.names..", "org.rapidsrivers.core.json..",
                        "org.rapidsrivers.core.filter..", "org.rapidsrivers.control", "org.rapidsrivers.data")
                .check(CLASSES);
    }

    @Test
    void aServicesApiAndTheEmbeddedSideCarryNoAws() {
        noClasses().that().resideInAnyPackage("org.rapidsrivers.service", "org.rapidsrivers.service.testing",
                        "org.rapidsrivers.offers..", "org.rapidsrivers.embedded..", "org.rapidsrivers.hosts")
                .should().dependOnClassesThat().resideInAnyPackage(AWS_SDKS)
                .orShould().dependOnClassesThat().resideInAnyPackage("org.rapidsrivers.aws..", "org.rapidsrivers.hosts.aws..",
                        "org.rapidsrivers.function..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("org.rapidsrivers.service..", "org.rapidsrivers.offers..")
                .should().dependOnClassesThat().resideInAnyPackage("org.rapidsrivers.embedded..", "org.rapidsrivers.hosts..",
                        "org.rapidsrivers.cli..", "org.sqlite..")
                .check(CLASSES);
    }

    @Test
    void theBackendsKnowNeitherEachOtherNorWhoHostsThem() {
        noClasses().that().resideInAPackage("org.rapidsrivers.embedded..")
                .should().dependOnClassesThat().resideInAnyPackage("org.rapidsrivers.aws..", "org.rapidsrivers.hosts..")
                .orShould().dependOnClassesThat().resideInAnyPackage(AWS_SDKS)
                .check(CLASSES);
        noClasses().that().resideInAPackage("org.rapidsrivers.aws..")
                .should().dependOnClassesThat().resideInAnyPackage("org.rapidsrivers.embedded..", "org.rapidsrivers.hosts..",
                        "org.rapidsrivers.control..", "org.rapidsrivers.data..", "org.sqlite..")
                .check(CLASSES);
    }

    @Test
    void onlyTheSessionNamesAConcreteBackendAmongTheEverydayCommands() {
        noClasses().that().resideInAnyPackage("org.rapidsrivers.cli", "org.rapidsrivers.cli.commands..",
                        "org.rapidsrivers.cli.shell..", "org.rapidsrivers.cli.operate..", "org.rapidsrivers.cli.archive..",
                        "org.rapidsrivers.cli.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("org.rapidsrivers.embedded..", "org.rapidsrivers.aws..",
                        "org.rapidsrivers.hosts..")
                .because("the session opens the stage; commands work on core's ports (deploy and bench are AWS's own)")
                .check(CLASSES);
    }

    @Test
    void noTwoModulesDependOnEachOther() {
        slices().matching("org.rapidsrivers.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
