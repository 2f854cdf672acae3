package dev.byok.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the real emulators: starts moto and local-kms on 127.0.0.1 once per
 * JVM, resets moto before each test and makes {@link Emulators} injectable into test,
 * lifecycle-method and constructor parameters. When an emulator is missing or does not start the
 * tests fail (never skip), naming the emulator and {@code ./scripts/install-emulators}.
 *
 * <p>Because moto is reset before each test, state created in {@code @BeforeAll} on moto does not
 * survive into the tests; create it in {@code @BeforeEach} or in the test.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmulatorExtension.class)
public @interface WithEmulators {}
