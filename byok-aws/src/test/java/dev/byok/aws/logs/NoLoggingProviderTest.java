package dev.byok.aws.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.aws.logs.internal.DefaultSpillLocation;
import dev.byok.core.audit.KeyUseEvent;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 1: with the README's dependencies only (no SLF4J provider) and the customer's log
 * group deleted, close kept the events nowhere and said nothing. Now they are kept, owner-only, at
 * the default spill location, and byok says on stderr once that there is no logging provider.
 */
class NoLoggingProviderTest {
  @TempDir
  Path root;

  @Test
  void noProvider_logGroupDeleted_eventsKeptAtTheDefaultLocation_stderrSaysSoOnce() throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    int removed = 0;
    for (String entry : cp.split(File.pathSeparator)) {
      if (entry.contains("slf4j-simple")) {
        removed++;
      } else if (!entry.isBlank()) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    assertTrue(removed > 0, "slf4j-simple is on the test class path, so this test removes it: " + cp);
    String before = System.getProperty(DefaultSpillLocation.PROPERTY);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setProperty(DefaultSpillLocation.PROPERTY, root.toString());
    List<String> sent = new ArrayList<>();
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.slf4j.simple.SimpleServiceProvider"));
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      for (int run = 1; run <= 2; run++) {
        @SuppressWarnings("unchecked")
        Callable<List<String>> probe = (Callable<List<String>>) loader.loadClass(NoLoggingProviderProbe.class.getName())
            .getDeclaredConstructor(String.class).newInstance("no-provider-" + run);
        sent.addAll(probe.call());
      }
    } finally {
      System.setErr(err);
      if (before == null) {
        System.clearProperty(DefaultSpillLocation.PROPERTY);
      } else {
        System.setProperty(DefaultSpillLocation.PROPERTY, before);
      }
    }
    String stderr = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, stderr.split("no SLF4J logging provider", -1).length - 1, "said once for two sinks:\n" + stderr);
    assertTrue(stderr.contains("audit sink no-provider-1 closed with 2 event(s) not delivered"), stderr);
    assertTrue(stderr.contains(root.resolve("no-provider-2").toString()), "names where they are:\n" + stderr);
    assertTrue(stderr.contains("log group"), "says why:\n" + stderr);

    List<String> kept = new ArrayList<>();
    for (String sink : List.of("no-provider-1", "no-provider-2")) {
      Path dir = root.resolve(sink);
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.getFileName().toString().startsWith("spill-")).collect(Collectors.toList())) {
          assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
          for (String line : Files.readAllLines(f)) {
            kept.add(KeyUseEvent.fromJson(line).eventId());
          }
        }
      }
    }
    assertEquals(4, sent.size());
    assertEquals(Set.copyOf(sent), Set.copyOf(kept), "every event is kept");
    assertEquals(4, kept.size());
  }

}
