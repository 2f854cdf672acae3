package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module descriptors of byok's library modules (core, local, crypto, aws, provisioning, audit), checked on the built
 * artifacts: each module exports every package that holds classes except the {@code ...internal}
 * ones, opens only to Jackson, and they resolve and run as named modules on byok-cli's runtime class path used as a
 * module path, which has no Micrometer on it ({@code requires static}). The tests themselves run on
 * the class path (see the parent pom), so this is where the descriptors are exercised at run time.
 * The runtime class path comes from maven-dependency-plugin (build-classpath, see this module's
 * pom) through the system property {@code byok.runtimeClasspathFile}.
 */
class ModuleDescriptorsTest {

  private static final List<String> MODULES = List.of("dev.byok.core", "dev.byok.local", "dev.byok.crypto", "dev.byok.aws",
      "dev.byok.provisioning", "dev.byok.audit");
  /** Modules with no internal package of their own. */
  private static final Set<String> NO_INTERNAL = Set.of("dev.byok.core", "dev.byok.local");

  @Test
  void descriptors_exportEveryClassPackageButInternal_exportNoInternal() throws IOException {
    ModuleFinder finder = ModuleFinder.of(modulePath().toArray(new Path[0]));
    for (String name : MODULES) {
      ModuleReference ref = finder.find(name).orElseThrow(() -> new AssertionError(name + " not found as a module"));
      ModuleDescriptor d = ref.descriptor();
      assertFalse(d.isAutomatic(), name + " has no module-info");
      assertFalse(d.isOpen(), name + " is an open module");
      for (ModuleDescriptor.Opens o : d.opens()) {
        // Only to Jackson, which binds records of the module (byok-audit's CloudTrail records).
        assertEquals(Set.of("com.fasterxml.jackson.databind"), o.targets(), name + " opens " + o);
      }
      for (ModuleDescriptor.Exports e : d.exports()) {
        if (e.isQualified()) {
          // Only to byok's own modules: core's audit-line writer is shared with the sinks.
          assertTrue(e.targets().stream().allMatch(t -> t.startsWith("dev.byok.")), name + " exports " + e);
          continue;
        }
        assertFalse(isInternal(e.source()), name + " exports internal package " + e.source());
      }
      Set<String> classPackages = classPackages(ref);
      Set<String> expected = classPackages.stream().filter(p -> !isInternal(p)).collect(Collectors.toCollection(TreeSet::new));
      Set<String> exported = d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(expected, exported, name + ": exported packages");
      if (!NO_INTERNAL.contains(name)) {
        assertNotEquals(expected, classPackages, name + " should have internal packages (else this check is vacuous)");
      }
    }
  }

  @Test
  void moduleLayer_withoutMicrometer_resolvesAndRoundTrips() throws Exception {
    List<Path> path = modulePath();
    assertTrue(path.stream().noneMatch(p -> p.getFileName().toString().contains("micrometer")),
        "Micrometer is optional and must not be on byok-cli's runtime class path: " + path);
    ModuleFinder finder = ModuleFinder.of(path.toArray(new Path[0]));
    ModuleLayer boot = ModuleLayer.boot();
    Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(),
        Set.of("dev.byok.crypto", "dev.byok.aws", "dev.byok.local", "dev.byok.provisioning", "dev.byok.audit"));
    Set<String> resolved = cf.modules().stream().map(ResolvedModule::name).collect(Collectors.toSet());
    assertTrue(resolved.containsAll(MODULES), "resolved: " + resolved);
    assertFalse(resolved.contains("micrometer.core"), "resolved: " + resolved);

    ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    Module crypto = layer.findModule("dev.byok.crypto").orElseThrow();
    assertTrue(crypto.isExported("dev.byok.crypto"), "dev.byok.crypto is not exported");
    assertFalse(crypto.isExported("dev.byok.crypto.internal.format"), "dev.byok.crypto.internal.format is exported");
    assertFalse(crypto.isOpen("dev.byok.crypto.internal.format"), "dev.byok.crypto.internal.format is open");

    ClassLoader l = crypto.getClassLoader();
    Class<?> tenantCrypto = Class.forName("dev.byok.crypto.TenantCrypto", true, l);
    assertEquals(crypto, tenantCrypto.getModule());
    Class<?> localKeys = Class.forName("dev.byok.local.LocalKeyService", true, l);
    Class<?> keyService = Class.forName("dev.byok.core.keys.KeyService", true, l);
    Class<?> keyArn = Class.forName("dev.byok.core.KeyArn", true, l);
    Class<?> directory = Class.forName("dev.byok.core.TenantDirectory", true, l);
    Class<?> context = Class.forName("dev.byok.core.EncryptionContext", true, l);
    Class<?> reason = Class.forName("dev.byok.core.AccessReason", true, l);
    Class<?> reasonCode = Class.forName("dev.byok.core.ReasonCode", true, l);

    Object keys = call(localKeys, null, "builder");
    keys = call(method(localKeys, "builder").getReturnType(), keys, "build");
    Object arn = call(localKeys, keys, "createKey", String.class, "module layer test");
    Object kms = call(localKeys, keys, "ownerClient");
    Object dir = call(directory, null, "builder");
    Class<?> dirBuilder = method(directory, "builder").getReturnType();
    dir = call(dirBuilder, dir, "put", String.class, "acme", keyArn, arn);
    dir = call(dirBuilder, dir, "build");
    Class<?> cryptoBuilder = method(tenantCrypto, "builder").getReturnType();
    Object b = call(tenantCrypto, null, "builder");
    b = call(cryptoBuilder, b, "keyService", keyService, kms);
    b = call(cryptoBuilder, b, "tenants", directory, dir);
    Object tc = call(cryptoBuilder, b, "build");
    try {
      Object ctx = call(context, null, "of", String.class, "tenant", String.class, "acme");
      Object code = reasonCode.getField("USER_REQUEST").get(null);
      Object r = call(reason, null, "of", reasonCode, code);
      byte[] plaintext = {1, 2, 3};
      byte[] message = (byte[]) call(tenantCrypto, tc, "encrypt", String.class, "acme", context, ctx, reason, r,
          byte[].class, plaintext);
      byte[] back = (byte[]) call(tenantCrypto, tc, "decrypt", String.class, "acme", context, ctx, reason, r,
          byte[].class, message);
      assertArrayEquals(plaintext, back);
    } finally {
      call(tenantCrypto, tc, "close");
    }

    // A resource beside the classes of a named module (dev/byok/provisioning/vendors/*.json).
    Class<?> vendor = Class.forName("dev.byok.provisioning.VendorProfile", true, l);
    assertEquals("dev.byok.provisioning", vendor.getModule().getName());
    Object slack = call(vendor, null, "builtIn", String.class, "slack");
    assertEquals("slack", call(vendor, slack, "name"));
  }

  /** byok-cli's runtime class path (dependencies only), each entry a jar or a classes folder. */
  private static List<Path> modulePath() throws IOException {
    String file = System.getProperty("byok.runtimeClasspathFile");
    assumeTrue(file != null, "byok.runtimeClasspathFile is not set: run through Maven (byok-cli's pom writes it)");
    String cp = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    List<Path> out = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      if (!e.isBlank()) {
        out.add(Path.of(e));
      }
    }
    assertFalse(out.isEmpty(), "empty runtime class path in " + file);
    return out;
  }

  private static boolean isInternal(String pkg) {
    return pkg.equals("internal") || pkg.endsWith(".internal") || pkg.contains(".internal.");
  }

  /** Packages of the module that hold at least one class (not the ones with only resources). */
  private static Set<String> classPackages(ModuleReference ref) throws IOException {
    try (ModuleReader r = ref.open(); Stream<String> names = r.list()) {
      return names.filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class") && !n.startsWith("META-INF/"))
          .filter(n -> n.lastIndexOf('/') > 0)
          .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.'))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Method method(Class<?> type, String name, Class<?>... params) throws NoSuchMethodException {
    return type.getMethod(name, params);
  }

  /** Calls public {@code type.name} on {@code target}; {@code args} alternate parameter type and value. */
  private static Object call(Class<?> type, Object target, String name, Object... args) throws Exception {
    Class<?>[] params = new Class<?>[args.length / 2];
    Object[] values = new Object[args.length / 2];
    for (int i = 0; i < params.length; i++) {
      params[i] = (Class<?>) args[2 * i];
      values[i] = args[2 * i + 1];
    }
    return method(type, name, params).invoke(target, values);
  }
}
