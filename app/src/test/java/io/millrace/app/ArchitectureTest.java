package io.millrace.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module rules of DESIGN.md, on the compiled classes of every module: dependencies point one way, app → api,
 * topologies, connectors → schemas, and bench → topologies → schemas.
 */
@AnalyzeClasses(packages = "io.millrace", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule schemasImportNothingOfOurs = noClasses().that().resideInAPackage("io.millrace.schemas..")
            .should().dependOnClassesThat().resideInAnyPackage("io.millrace.topology..", "io.millrace.api..", "io.millrace.app..",
                    "io.millrace.bench..", "io.millrace.connectors..");

    @ArchTest
    static final ArchRule topologiesNeverImportTheApiTheAppOrTheBench = noClasses().that().resideInAPackage("io.millrace.topology..")
            .should().dependOnClassesThat().resideInAnyPackage("io.millrace.api..", "io.millrace.app..", "io.millrace.bench..",
                    "io.millrace.connectors..", "io.javalin..");

    @ArchTest
    static final ArchRule connectorsNeverImportTopologies = noClasses().that().resideInAPackage("io.millrace.connectors..")
            .should().dependOnClassesThat().resideInAnyPackage("io.millrace.topology..", "io.millrace.api..", "io.millrace.app..",
                    "io.millrace.bench..");

    @ArchTest
    static final ArchRule theApiNeverImportsTheAppOrTheBench = noClasses().that().resideInAPackage("io.millrace.api..")
            .should().dependOnClassesThat().resideInAnyPackage("io.millrace.app..", "io.millrace.bench..", "io.millrace.connectors..");

    @ArchTest
    static final ArchRule theBenchNeverImportsTheApiOrTheApp = noClasses().that().resideInAPackage("io.millrace.bench..")
            .should().dependOnClassesThat().resideInAnyPackage("io.millrace.api..", "io.millrace.app..");

    @ArchTest
    static final ArchRule pipelinesReadSettingsNeverTheEnvironment = noClasses().that().resideInAPackage("io.millrace.topology..")
            .and().doNotHaveFullyQualifiedName("io.millrace.topology.Settings")
            .should().callMethod(System.class, "getenv", String.class)
            .orShould().callMethod(System.class, "getenv")
            .orShould().callMethod(System.class, "getProperty", String.class);
}
