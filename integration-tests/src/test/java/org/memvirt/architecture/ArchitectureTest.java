package org.memvirt.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rules of the house, read from the compiled classes of every module: plugins see the
 * api alone, the engine knows no technique, the engine's rooms form no cycle, the command
 * line uses only the engine's public packages, and no room of the engine grows past 20
 * files.
 */
class ArchitectureTest {
  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("-tests.jar"))
      .importPackages("org.memvirt");

  /** The technique and workload modules' packages. */
  private static final String[] PLUGINS = {"org.memvirt.mmu..", "org.memvirt.reclaim..", "org.memvirt.policy..",
      "org.memvirt.workloads..", "org.memvirt.trace.."};

  /** The engine's packages a library user (and the command line) may not use: free to change at any version. */
  private static final String[] INTERNAL = {"org.memvirt.engine.host..", "org.memvirt.engine.hardware..",
      "org.memvirt.engine.guest..", "org.memvirt.engine.vm..", "org.memvirt.engine.hypervisor..",
      "org.memvirt.engine.machine.."};

  @Test
  void theClassesOfEveryModuleAreHere() {
    assertThat(ALL.containPackage("org.memvirt.engine.run")).isTrue();
    assertThat(ALL.containPackage("org.memvirt.mmu.shadow")).isTrue();
    assertThat(ALL.containPackage("org.memvirt.cli")).isTrue();
    assertThat(ALL.containPackage("org.memvirt.study")).isTrue();
  }

  @Test
  void pluginsDependOnTheApiAlone() {
    noClasses().that().resideInAnyPackage(PLUGINS).should().dependOnClassesThat()
        .resideInAnyPackage("org.memvirt.engine..", "org.memvirt.study..", "org.memvirt.cli..", "org.memvirt.testkit..")
        .check(ALL);
  }

  @Test
  void theApiAndTheTestkitDependOnNoModuleAboveThem() {
    noClasses().that().resideInAnyPackage("org.memvirt.api..", "org.memvirt.testkit..").should().dependOnClassesThat()
        .resideInAnyPackage("org.memvirt.engine..", "org.memvirt.study..", "org.memvirt.cli..", "org.memvirt.mmu..",
            "org.memvirt.reclaim..", "org.memvirt.policy..", "org.memvirt.workloads..", "org.memvirt.trace..")
        .check(ALL);
  }

  @Test
  void theEngineKnowsNoTechnique() {
    noClasses().that().resideInAPackage("org.memvirt.engine..").should().dependOnClassesThat()
        .resideInAnyPackage(PLUGINS).orShould().dependOnClassesThat()
        .resideInAnyPackage("org.memvirt.study..", "org.memvirt.cli..").check(ALL);
  }

  @Test
  void theEnginesRoomsFormNoCycle() {
    slices().matching("org.memvirt.engine.(*)..").should().beFreeOfCycles().check(ALL);
  }

  @Test
  void theStudiesAndTheCommandLineUseOnlyTheEnginesPublicPackages() {
    noClasses().that().resideInAnyPackage("org.memvirt.study..", "org.memvirt.cli..").should().dependOnClassesThat()
        .resideInAnyPackage(INTERNAL).check(ALL);
  }

  @Test
  void noRoomOfTheEngineHoldsMoreThanTwentyFiles() {
    Map<String, Long> files = ALL.stream().filter(c -> c.getPackageName().startsWith("org.memvirt.engine"))
        .filter(c -> c.getEnclosingClass().isEmpty())
        .filter(c -> !c.getSimpleName().equals("package-info"))
        .collect(Collectors.groupingBy(JavaClass::getPackageName, TreeMap::new, Collectors.counting()));
    assertThat(files).isNotEmpty();
    assertThat(files).allSatisfy((pkg, n) -> assertThat(n).as(pkg).isLessThanOrEqualTo(20));
  }
}
