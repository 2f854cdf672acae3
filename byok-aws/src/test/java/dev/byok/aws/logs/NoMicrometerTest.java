package dev.byok.aws.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** Micrometer is optional: the sinks load and work in a class loader that lacks it. */
class NoMicrometerTest {

  @Test
  void sinks_withoutMicrometerOnTheClassPath_buildAndDeliver() throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    int removed = 0;
    for (String entry : cp.split(File.pathSeparator)) {
      if (entry.contains("micrometer")) {
        removed++;
      } else if (!entry.isBlank()) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    assertTrue(removed > 0, "micrometer is on the test class path, so this test removes it: " + cp);
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThrows(ClassNotFoundException.class, () -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"));
      @SuppressWarnings("unchecked")
      Callable<Long> probe = (Callable<Long>) loader.loadClass(NoMicrometerProbe.class.getName()).getDeclaredConstructor().newInstance();
      assertEquals(1L, probe.call());
    }
  }
}
