package dev.byok.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency: byok-crypto must load and work without it on the class
 * path. Runs an encrypt/decrypt in a class loader built from this test's class path minus every
 * Micrometer jar (parent: the platform loader, so nothing leaks in from the application loader).
 */
class NoMicrometerCryptoTest {

  /** Runs inside the isolated loader. */
  public static final class Runner implements Callable<String> {
    @Override
    public String call() throws Exception {
      try {
        Class.forName("io.micrometer.core.instrument.MeterRegistry");
        return "Micrometer is visible: the test's class loader is not isolated";
      } catch (ClassNotFoundException expected) {
        // as intended
      }
      dev.byok.testing.fakes.FakeKeyService kms = new dev.byok.testing.fakes.FakeKeyService();
      String arn = kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab");
      try (dev.byok.crypto.TenantCrypto crypto = dev.byok.crypto.TenantCrypto.builder().keyService(kms)
          .tenants(dev.byok.core.TenantDirectory.builder().put("acme", dev.byok.core.KeyArn.parse(arn)).build()).build()) {
        dev.byok.core.EncryptionContext ctx = dev.byok.core.EncryptionContext.of("tenant", "acme");
        dev.byok.core.AccessReason r = dev.byok.core.AccessReason.of(dev.byok.core.ReasonCode.USER_REQUEST);
        byte[] m = crypto.encrypt("acme", ctx, r, new byte[] {1, 2, 3});
        byte[] p = crypto.decrypt("acme", ctx, r, m);
        return p.length == 3 && p[2] == 3 ? "ok" : "round trip failed";
      }
    }
  }

  @Test
  void withoutMicrometerOnClassPath_buildsAndRoundTrips() throws Exception {
    List<URL> urls = new ArrayList<>();
    int removed = 0;
    for (String entry : classPath()) {
      if (new File(entry).getName().startsWith("micrometer-")) {
        removed++;
        continue;
      }
      urls.add(new File(entry).toURI().toURL());
    }
    assertTrue(removed > 0, "expected Micrometer on the test class path to remove it");
    try (URLClassLoader isolated = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      Class<?> runner = Class.forName(Runner.class.getName(), true, isolated);
      assertFalse(runner.getClassLoader() == Runner.class.getClassLoader());
      @SuppressWarnings("unchecked")
      Callable<String> c = (Callable<String>) runner.getDeclaredConstructor().newInstance();
      assertEquals("ok", c.call());
    }
  }

  /** The test class path, expanding Surefire's manifest-only booter jar. */
  private static List<String> classPath() throws Exception {
    List<String> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.endsWith(".jar") && new File(e).getName().startsWith("surefirebooter")) {
        try (JarFile jar = new JarFile(e)) {
          Manifest mf = jar.getManifest();
          String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
          if (cp != null) {
            for (String u : cp.trim().split("\\s+")) {
              out.add(new File(new URL(u).toURI()).getPath());
            }
          }
        }
      } else {
        out.add(e);
      }
    }
    return out;
  }
}
