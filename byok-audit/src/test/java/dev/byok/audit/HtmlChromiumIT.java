package dev.byok.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report of the documented story in headless Chromium (Debian's {@code chromium},
 * installed by {@code scripts/install-emulators}): the DOM Chromium builds has both SVG charts with
 * their bars and markers, and the screenshot ({@code target/audit-report/audit-report.png}) shows
 * them: the chart colours are on the page. Without Chromium on the PATH the test says why and is
 * skipped.
 */
class HtmlChromiumIT {
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 2000;

  @TempDir Path tmp;

  private static Path chromium() {
    String configured = System.getenv("BYOK_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private static Path buildDir() {
    return Path.of(System.getProperty("byok.buildDir", "target"));
  }

  private String run(Path chromium, Path profile, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "chromium", ".out");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + cmd);
    }
    assertEquals(0, p.exitValue(), "chromium exit status for " + cmd);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void htmlReport_inHeadlessChromium_chartsRendered_screenshotTaken() throws Exception {
    Path chromium = chromium();
    if (chromium == null) {
      String reason = "skipped: no 'chromium' on the PATH (Debian's chromium package; ./scripts/install-emulators "
          + "installs it, or set BYOK_CHROMIUM)";
      System.out.println("HtmlChromiumIT " + reason);
      Assumptions.assumeTrue(false, reason);
    }
    AuditReport report = Fixtures.documentedReport(tmp);
    Path dir = Files.createDirectories(buildDir().resolve("audit-report"));
    Path html = dir.resolve("audit-report.html");
    Files.writeString(html, report.render(ReportFormat.HTML), StandardCharsets.UTF_8);
    Path png = dir.resolve("audit-report.png");
    Files.deleteIfExists(png);

    String dom = run(chromium, tmp.resolve("profile-dom"), "--dump-dom", html.toUri().toString());
    assertEquals(2, Pattern.compile("<svg ").matcher(dom).results().count(), "two charts in the DOM");
    assertTrue(dom.contains("id=\"uses-over-time\"") && dom.contains("id=\"revocation-timeline\""), "chart ids");
    assertTrue(Pattern.compile("<rect [^>]*fill=\"#3b6fd4\"").matcher(dom).find(), "bars of the first reason code");
    assertTrue(dom.contains("<polygon") && dom.contains("<circle"), "timeline markers");
    assertTrue(dom.contains("unexplained=1"), "headline");

    run(chromium, tmp.resolve("profile-shot"), "--screenshot=" + png, "--window-size=" + WIDTH + "," + HEIGHT,
        html.toUri().toString());
    assertTrue(Files.size(png) > 20_000, "a non-trivial PNG: " + Files.size(png) + " bytes");
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(WIDTH, img.getWidth());
    Set<Integer> colours = new HashSet<>();
    boolean barColour = false;
    boolean alertBanner = false;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        barColour |= near(rgb, 0x3b6fd4);
        alertBanner |= near(rgb, 0xfde4e1);
      }
    }
    assertTrue(colours.size() > 50, "a page with text and charts, colours: " + colours.size());
    assertTrue(barColour, "the uses chart's bars are painted");
    assertTrue(alertBanner, "the alert banner is painted");
    System.out.println("HtmlChromiumIT: screenshot " + png.toAbsolutePath() + " (" + Files.size(png) + " bytes), HTML "
        + html.toAbsolutePath());
  }

  private static boolean near(int rgb, int target) {
    return Math.abs(((rgb >> 16) & 0xff) - ((target >> 16) & 0xff)) < 8
        && Math.abs(((rgb >> 8) & 0xff) - ((target >> 8) & 0xff)) < 8
        && Math.abs((rgb & 0xff) - (target & 0xff)) < 8;
  }
}
