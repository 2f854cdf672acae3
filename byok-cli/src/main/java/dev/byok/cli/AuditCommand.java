package dev.byok.cli;

import dev.byok.audit.AuditReport;
import dev.byok.audit.EventSource;
import dev.byok.audit.KeyUseAudit;
import dev.byok.audit.ReportFormat;
import dev.byok.audit.TrailSource;
import dev.byok.cli.internal.AtomicOutput;
import dev.byok.cli.internal.Endpoints;
import dev.byok.cli.internal.Io;
import dev.byok.cli.internal.UsageException;
import dev.byok.core.AwsAccountId;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code byok audit report}: the customer's view. Joins the KMS records of its CloudTrail with the
 * vendor's reason-coded audit events on the KMS request ID and reports every key use without a
 * reason (see {@link KeyUseAudit}). Exit statuses: 0 complete and no unexplained call,
 * {@value #UNEXPLAINED_CALLS} unexplained calls found, {@value #INCOMPLETE_INPUT} the input was
 * incomplete (no unexplained call in what could be read), 1 an input could not be read at all, 2
 * usage.
 */
@Command(name = "audit", description = "The customer's audit of its key.", subcommands = AuditCommand.ReportCmd.class)
final class AuditCommand {
  /** Exit status: the report lists KMS calls by the vendor with no audit event (the alert). */
  static final int UNEXPLAINED_CALLS = 6;
  /** Exit status: the report was made, but some input was unreadable (and nothing unexplained was found in the rest). */
  static final int INCOMPLETE_INPUT = 7;

  @Command(name = "report",
      description = {"Join the KMS records of your CloudTrail with the vendor's reason-coded audit events by KMS request "
          + "ID, and report every KMS call by the vendor that no event explains.",
          "--trail-logs: a local folder or file of CloudTrail log files (gzip or JSON), s3://BUCKET/PREFIX (the trail's "
              + "bucket), or 'lookup' (CloudTrail LookupEvents). --events: a JSON-lines file of byok audit events, or "
              + "logs:GROUP (the log group the vendor writes to)."},
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
          "0:complete input, no unexplained call",
          "1:an input could not be read at all (missing, access denied, unreachable)",
          "2:usage error",
          "6:unexplained calls: KMS calls by the vendor with no audit event (alert)",
          "7:incomplete input (unreadable log files or event lines; the report says which), no unexplained call in the rest"})
  static final class ReportCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--trail-logs", required = true, paramLabel = "PATH|s3://BUCKET/PREFIX|lookup",
        description = "Where the CloudTrail records are.")
    String trailLogs;

    @Option(names = "--events", required = true, paramLabel = "FILE|logs:GROUP", description = "Where the vendor's audit events are.")
    String events;

    @Option(names = "--vendor-account", paramLabel = "ID",
        description = "The vendor's AWS account (repeatable; default: every caller account other than the key's own).")
    List<String> vendorAccounts = new ArrayList<>();

    @Option(names = "--from", paramLabel = "T", description = "Start of the window, inclusive: 2026-03-01T00:00:00Z or 2026-03-01.")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "End of the window, exclusive: 2026-03-02T00:00:00Z or 2026-03-02.")
    String to;

    @Option(names = "--format", paramLabel = "text|json|html", defaultValue = "text",
        description = "Output format (default: ${DEFAULT-VALUE}); html is one self-contained file with SVG charts.")
    String format;

    @Option(names = "--out", paramLabel = "FILE",
        description = "Write the report to FILE (replaced if it exists) and print only its first line.")
    Path out;

    @Option(names = "--max-listed", paramLabel = "N", defaultValue = "10000",
        description = "List at most N unexplained and N denied calls (the counts stay exact; default ${DEFAULT-VALUE}).")
    int maxListed;

    @Option(names = "--region", paramLabel = "REGION",
        description = "AWS region of the bucket, LookupEvents or log group (default: AWS_REGION, then the profile's).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile for credentials (default: the default chain).")
    String profile;

    @Option(names = "--endpoint-url", paramLabel = "[SERVICE=]URL",
        description = "Another endpoint: one URL for all, or SERVICE=URL for s3, cloudtrail or logs (emulators).")
    List<String> endpoints = new ArrayList<>();

    private final List<AutoCloseable> clients = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      Io io = Main.io(spec);
      ReportFormat fmt = switch (format.toLowerCase(Locale.ROOT)) {
        case "text" -> ReportFormat.TEXT;
        case "json" -> ReportFormat.JSON;
        case "html" -> ReportFormat.HTML;
        default -> throw new UsageException("--format: expected text, json or html, got '" + format + "'");
      };
      if (maxListed < 1) {
        throw new UsageException("--max-listed: at least 1, got " + maxListed);
      }
      Endpoints eps = Endpoints.parse(endpoints);
      KeyUseAudit.Builder b = KeyUseAudit.builder().maxListed(maxListed);
      try {
        b.trail(trailSource(eps)).events(eventSource(eps));
        for (String a : vendorAccounts) {
          try {
            b.addVendorAccount(AwsAccountId.of(a));
          } catch (IllegalArgumentException e) {
            throw new UsageException("--vendor-account: " + e.getMessage(), e);
          } catch (IllegalStateException e) {
            throw new UsageException("--vendor-account " + a + " given twice", e);
          }
        }
        if (from != null) {
          b.from(time(from, "--from"));
        }
        if (to != null) {
          b.to(time(to, "--to"));
        }
        KeyUseAudit audit;
        try {
          audit = b.build();
        } catch (IllegalStateException e) {
          throw new UsageException("--from must be before --to", e);
        }
        AuditReport report = audit.run();
        if (out == null) {
          try (AtomicOutput o = AtomicOutput.toStdout(io.bytesOut())) {
            write(report, fmt, o);
          }
        } else {
          try (AtomicOutput o = AtomicOutput.toFile(out, true)) {
            write(report, fmt, o);
          }
          io.out().println(report.headlineLine());
          io.out().println("report written to " + out);
        }
        return report.hasUnexplained() ? UNEXPLAINED_CALLS : report.complete() ? ExitCodes.OK : INCOMPLETE_INPUT;
      } finally {
        for (AutoCloseable c : clients) {
          c.close();
        }
      }
    }

    private static void write(AuditReport report, ReportFormat fmt, AtomicOutput o) throws Exception {
      Writer w = new OutputStreamWriter(o.stream(), StandardCharsets.UTF_8);
      report.writeTo(fmt, w);
      w.flush();
      o.commit();
    }

    private TrailSource trailSource(Endpoints eps) {
      if (trailLogs.startsWith("s3://")) {
        try {
          TrailSource source = TrailSource.s3(keep(configure(S3Client.builder(), eps.of("s3"))
              .forcePathStyle(eps.of("s3").isPresent()).build()), trailLogs);
          return source;
        } catch (IllegalArgumentException e) {
          throw new UsageException("--trail-logs: " + e.getMessage(), e);
        }
      }
      if (trailLogs.equals("lookup")) {
        return TrailSource.lookup(keep(configure(CloudTrailClient.builder(), eps.of("cloudtrail")).build()));
      }
      return TrailSource.local(Path.of(trailLogs));
    }

    private EventSource eventSource(Endpoints eps) {
      if (events.startsWith("logs:")) {
        try {
          return EventSource.logGroup(keep(configure(CloudWatchLogsClient.builder(), eps.of("logs")).build()),
              events.substring("logs:".length()));
        } catch (IllegalArgumentException e) {
          throw new UsageException("--events: " + e.getMessage(), e);
        }
      }
      return EventSource.jsonLines(Path.of(events));
    }

    /** Points {@code builder} at the region, credentials and endpoint. */
    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, Optional<URI> endpoint) {
      builder.region(region()).credentialsProvider(credentials());
      endpoint.ifPresent(builder::endpointOverride);
      return builder;
    }

    /** Closes {@code client} at the end of the run. */
    private <C extends AutoCloseable> C keep(C client) {
      clients.add(client);
      return client;
    }

    private Region region() {
      if (region != null) {
        return Region.of(region);
      }
      try {
        return DefaultAwsRegionProviderChain.builder().build().getRegion();
      } catch (RuntimeException e) {
        throw new UsageException("--region is required for " + trailLogs + " / " + events
            + " (or set AWS_REGION, or a region in the AWS profile)", e);
      }
    }

    private AwsCredentialsProvider credentials() {
      return profile != null ? ProfileCredentialsProvider.create(profile) : DefaultCredentialsProvider.builder().build();
    }

    private static Instant time(String v, String option) {
      try {
        return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw new UsageException(option + " '" + v + "': expected an ISO-8601 UTC time such as 2026-03-01T00:00:00Z, "
            + "or a date such as 2026-03-01", e);
      }
    }
  }

  private AuditCommand() {}
}
