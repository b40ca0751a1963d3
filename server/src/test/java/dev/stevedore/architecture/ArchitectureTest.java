package dev.stevedore.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules docs/architecture.md draws: features depend on each other without cycles, the
 * core on nothing, the domain on no HTTP, the start-up sequence is depended on by nobody, and the
 * engine's client library stays inside its adapter.
 */
@AnalyzeClasses(
    packages = "dev.stevedore",
    importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.ServerOnly.class})
class ArchitectureTest {

  /**
   * The server and the API types it shares; not the client and the command-line tool, which the
   * integration tests put on the class path and which speak HTTP by nature.
   */
  static final class ServerOnly implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("/dev/stevedore/client/")
          && !location.contains("/dev/stevedore/cli/");
    }
  }

  @ArchTest
  static final ArchRule featuresHaveNoCycles =
      slices().matching("dev.stevedore.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule coreDependsOnNoFeature =
      noClasses()
          .that()
          .resideInAPackage("dev.stevedore.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.stevedore..")
          .andShould()
          .dependOnClassesThat()
          .resideOutsideOfPackages(
              "dev.stevedore.core..",
              "java..",
              "jakarta.enterprise..",
              "jakarta.inject..",
              "jakarta.annotation..",
              "jakarta.interceptor..",
              "javax.sql..",
              "org.eclipse.microprofile.config..",
              "org.eclipse.microprofile.openapi..")
          .because("every feature may use the core, so it can use none of them");

  @ArchTest
  static final ArchRule domainKnowsNoHttp =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.stevedore.rest..")
          .and()
          .haveSimpleNameNotEndingWith("Resource")
          .and()
          .haveSimpleNameNotEndingWith("Filter")
          .and()
          .doNotHaveFullyQualifiedName("dev.stevedore.audit.AuditInterceptor") // wraps resources
          .should()
          .dependOnClassesThat()
          .resideInAPackage("jakarta.ws.rs..")
          .because(
              "only resources, filters, the interceptor around resources and the REST layer speak HTTP; the problem mapper"
                  + " turns domain exceptions into answers");

  @ArchTest
  static final ArchRule nothingDependsOnStartup =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.stevedore.startup..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.stevedore.startup..")
          .because("the start-up sequence is the composition root");

  @ArchTest
  static final ArchRule engineClientStaysInItsAdapter =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.stevedore.runtime.docker..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.github.dockerjava..")
          .because("the engine port is the only way to the engine");
}
