package dev.hotfix.operator;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which any open {@link ScenarioBed} saw fewer ready pods than a held
 * Deployment may have. Registered for every test (META-INF/services, autodetection on in
 * junit-platform.properties), so no scenario can forget the check.
 */
public final class BedVerification implements AfterEachCallback {
  @Override
  public void afterEach(ExtensionContext context) {
    List<String> violations = ScenarioBed.takeViolations();
    if (!violations.isEmpty()) {
      throw new AssertionError("availability dropped below what the Hotfix allows during "
          + context.getDisplayName() + ":\n  " + String.join("\n  ", violations));
    }
  }
}
