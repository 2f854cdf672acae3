package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Option checks of {@code byok demo} (the story itself runs in DemoIT and DemoEmulatorsIT). */
class DemoCommandTest {

  @Test
  void revalidateAfter_belowOneSecond_usageError() {
    CliRun r = CliRun.run("demo", "--revalidate-after", "500ms");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err.contains("--revalidate-after"), r.toString());
  }

  @Test
  void duration_garbage_usageErrorNamingForm() {
    CliRun r = CliRun.run("demo", "--check-interval", "soon");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("2s, 1500ms or 1m"), r.toString());
  }

  @Test
  void endpoint_unknownService_usageErrorBeforeAnythingRuns() {
    CliRun r = CliRun.run("demo", "--endpoint-url", "dynamodb=http://127.0.0.1:1");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("unknown service 'dynamodb'"), r.toString());
    assertEquals("", r.out);
  }

  @Test
  void vendorAccount_malformed_usageError() {
    CliRun r = CliRun.run("demo", "--vendor-account", "12");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("--vendor-account"), r.toString());
  }

  @Test
  void durationConverter_forms_parse() {
    DemoCommand.DurationConverter c = new DemoCommand.DurationConverter();
    assertEquals(Duration.ofMillis(1500), c.convert("1500ms"));
    assertEquals(Duration.ofMillis(2500), c.convert("2.5s"));
    assertEquals(Duration.ofMinutes(1), c.convert("1m"));
    assertEquals(Duration.ofSeconds(2), c.convert("PT2S"));
  }
}
