package dev.byok.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension behind {@link WithEmulators}: starts the JVM's {@link Emulators#shared()
 * emulators} before the first test class that needs them, stops them when the JUnit run ends
 * (through the root context's store, so also when tests fail; a JVM shutdown hook is the
 * backstop), resets moto before each test and resolves {@link Emulators} parameters.
 *
 * <p>Stateless; safe to register on many classes.
 */
public final class EmulatorExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmulatorExtension.class);

  /** Creates the extension; JUnit does this for {@link WithEmulators}. */
  public EmulatorExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    emulators(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    emulators(context).resetMoto();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Emulators.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return emulators(context);
  }

  private static Emulators emulators(ExtensionContext context) {
    Emulators emulators = Emulators.shared();
    // Registered once per JUnit run; closed when the run ends, whatever the test outcomes.
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(StopAtEndOfRun.class, key -> new StopAtEndOfRun(), StopAtEndOfRun.class);
    return emulators;
  }

  /** Stops the shared emulators when JUnit closes the root store. */
  private static final class StopAtEndOfRun implements AutoCloseable {
    @Override
    public void close() {
      Emulators.stopShared();
    }
  }
}
