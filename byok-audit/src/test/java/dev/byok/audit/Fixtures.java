package dev.byok.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** The documented test data (src/test/resources/cloudtrail/documented, see its README) and helpers. */
final class Fixtures {
  static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String PLANTED_REQUEST_ID = "c3333333-3333-4333-8333-333333333333";
  static final String DENIED_REQUEST_ID = "e8888888-8888-4888-8888-888888888888";
  static final String LOG_DIR = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/";
  static final String LOG_NAME = "111122223333_CloudTrail_us-east-1_20260301T1205Z_Ab12Cd34Ef56Gh78.json.gz";

  private Fixtures() {}

  static byte[] resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/cloudtrail/documented/" + name)) {
      if (in == null) {
        throw new IllegalStateException("test resource missing: " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] trailJson() {
    return resource("trail-2026-03-01.json");
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(b)) {
      g.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the documented trail as a gzip log file under CloudTrail's layout in {@code root}; returns the file. */
  static Path writeTrail(Path root) throws IOException {
    Path f = root.resolve(LOG_DIR).resolve(LOG_NAME);
    Files.createDirectories(f.getParent());
    Files.write(f, gzip(trailJson()));
    return f;
  }

  static Path writeEvents(Path dir) throws IOException {
    Path f = dir.resolve("events.jsonl");
    Files.write(f, resource("events.jsonl"));
    return f;
  }

  /** The documented story as a report, from local files under {@code dir}. */
  static AuditReport documentedReport(Path dir) throws IOException {
    Path trail = dir.resolve("trail");
    writeTrail(trail);
    return KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(writeEvents(dir)))
        .build().run();
  }
}
