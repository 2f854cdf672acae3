package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example compiles against the current API: the first {@code ```java} block under
 * "For the vendor engineer" is split into its {@code import} lines and its statements, wrapped in a
 * class with a method {@code run(byte[] plaintext)}, and compiled with {@code javax.tools} against
 * this module's test class path (byok-core, byok-crypto, byok-aws, byok-local and their
 * dependencies). It is compiled, not run: it would call AWS.
 */
class ReadmeSnippetTest {
  private static final String SECTION = "## For the vendor engineer";
  /** What the wrapper imports for the snippet, so the README need not list JDK types. */
  private static final String JDK_IMPORTS = "import java.nio.file.*;\nimport java.util.*;\n";

  @Test
  void vendorEngineerSnippet_compiles(@TempDir Path out) throws IOException {
    String snippet = firstJavaBlockUnder(Files.readString(repositoryRoot().resolve("README.md")), SECTION);
    assertTrue(snippet.contains("TenantCrypto"), "the snippet under '" + SECTION + "' does not use TenantCrypto:\n" + snippet);
    List<String> errors = compile(wrap(snippet), out);
    if (!errors.isEmpty()) {
      fail("the README's Java example under '" + SECTION + "' does not compile:\n" + String.join("\n", errors)
          + "\n--- compiled as ---\n" + numbered(wrap(snippet)));
    }
  }

  /** The harness itself: a snippet that calls a method the API does not have is reported. */
  @Test
  void compile_snippetWithUnknownMethod_reportsTheError(@TempDir Path out) {
    String snippet = "import dev.byok.crypto.TenantCrypto;\n\nTenantCrypto.builder().noSuchSetting(1);\n";
    List<String> errors = compile(wrap(snippet), out);
    assertFalse(errors.isEmpty(), "a call to a missing method compiled");
    assertTrue(errors.stream().anyMatch(e -> e.contains("noSuchSetting")), String.join("\n", errors));
  }

  /** The folder with the README and the module folders: this module's folder or one above it. */
  private static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("byok-cli"))) {
        return p;
      }
    }
    throw new IllegalStateException("no README.md beside a byok-cli folder above " + Path.of("").toAbsolutePath());
  }

  /** The body of the first {@code ```java} fence after the heading {@code section}. */
  static String firstJavaBlockUnder(String markdown, String section) {
    List<String> lines = markdown.lines().collect(Collectors.toList());
    int i = lines.indexOf(section);
    if (i < 0) {
      throw new IllegalStateException("README.md has no heading '" + section + "'");
    }
    for (i++; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      if (lines.get(i).trim().equals("```java")) {
        StringBuilder b = new StringBuilder();
        for (i++; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
          b.append(lines.get(i)).append('\n');
        }
        if (i == lines.size()) {
          throw new IllegalStateException("the ```java block under '" + section + "' is not closed");
        }
        return b.toString();
      }
    }
    throw new IllegalStateException("README.md has no ```java block under '" + section + "'");
  }

  /** The snippet's imports at the top of a class, its other lines as the body of a method. */
  static String wrap(String snippet) {
    StringBuilder imports = new StringBuilder(JDK_IMPORTS);
    StringBuilder body = new StringBuilder();
    for (String line : snippet.lines().toList()) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    return "package readme;\n\n" + imports
        + "\nfinal class ReadmeSnippet {\n"
        + "  void run(byte[] plaintext) throws Exception {\n"
        + body
        + "  }\n}\n";
  }

  /** Compiles {@code source} into {@code out}; returns the error diagnostics, empty when it compiled. */
  private static List<String> compile(String source, Path out) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "no system Java compiler: the tests must run on a JDK");
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///readme/ReadmeSnippet.java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    List<String> options = List.of("--release", "17", "-proc:none", "-encoding", StandardCharsets.UTF_8.name(),
        "-classpath", testClassPath(), "-d", out.toString());
    boolean ok = javac.getTask(null, null, diagnostics, options, null, List.of(file)).call();
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        errors.add("line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
      }
    }
    if (!ok && errors.isEmpty()) {
      errors.add("javac failed without an error diagnostic");
    }
    return errors;
  }

  /**
   * The test class path: Surefire puts it in {@code surefire.test.class.path} (its own class path
   * may be a single manifest-only jar); {@code java.class.path} otherwise.
   */
  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    String cp = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    assertFalse(cp == null || cp.isBlank(), "no class path to compile against");
    return cp;
  }

  private static String numbered(String source) {
    List<String> lines = source.lines().toList();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      b.append(String.format(Locale.ROOT, "%3d  %s%n", i + 1, lines.get(i)));
    }
    return b.toString();
  }
}
