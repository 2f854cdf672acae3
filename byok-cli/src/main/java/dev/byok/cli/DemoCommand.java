package dev.byok.cli;

import dev.byok.cli.internal.Io;
import dev.byok.cli.internal.OperationFailedException;
import dev.byok.cli.internal.UsageException;
import dev.byok.cli.internal.demo.Demo;
import dev.byok.cli.internal.demo.Story;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code byok demo}: the whole BYOK story in one run, on the embedded key service by default, or on
 * AWS or its emulators with {@code --endpoint-url} / {@code --aws}. The last line is for scripts:
 * {@code demo: ok tenants=T operations=N kms_calls=K revoked_after_ms=R refused_after_revoke=F
 * leaked_after_revoke=0 restored=true audit_events=E unexplained=0 explained=X denied=D push_revoked_after_ms=P} (the three
 * before the last
 * three from the customer's audit report over the run); the exit status is non-zero when any check
 * of the run failed (data returned after a refusal, access not restored, events missing, a KMS call
 * of the vendor without an audit event).
 */
@Command(name = "demo",
    description = {"Run the whole BYOK story: the customer plans the guide's set-up and hands off its key, "
        + "the vendor encrypts for three tenants with reason codes, the customer reads its audit report (its "
        + "trail joined with the vendor's audit events), revokes and restores. Embedded key service by default (no AWS, no network).",
        "The last line is for scripts: demo: ok tenants=T operations=N kms_calls=K revoked_after_ms=R "
            + "refused_after_revoke=F leaked_after_revoke=0 restored=true audit_events=E unexplained=0 explained=X denied=D push_revoked_after_ms=P"})
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--endpoint-url", paramLabel = "[SERVICE=]URL",
      description = "Run on AWS emulators: one URL for all services, or SERVICE=URL (kms, iam, sts, logs, s3, "
          + "cloudtrail, events, sns, sqs), repeatable; e.g. --endpoint-url http://127.0.0.1:5000 --endpoint-url kms=http://127.0.0.1:8080.")
  List<String> endpoints = new ArrayList<>();

  @Option(names = "--aws", description = "Run on real AWS with the default credentials (creates and then removes "
      + "resources in the account).")
  boolean aws;

  @Option(names = "--keep-resources", description = "On AWS or the emulators: leave what provisioning created "
      + "(remove it later with 'byok provision destroy').")
  boolean keepResources;

  @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
      description = "Region (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--vendor-account", paramLabel = "ACCOUNT_ID", defaultValue = "444455556666",
      description = "The vendor's AWS account ID in the key policy (default: ${DEFAULT-VALUE}).")
  String vendorAccount;

  @Option(names = "--revalidate-after", paramLabel = "DURATION", defaultValue = "PT2S",
      converter = DurationConverter.class,
      description = "The cache's revalidateAfter, e.g. 2s or 1500ms (default 2s; at least 1s).")
  Duration revalidateAfter;

  @Option(names = "--check-interval", paramLabel = "DURATION", defaultValue = "PT0.5S",
      converter = DurationConverter.class,
      description = "How often a revoked key is probed, e.g. 500ms (default 500ms).")
  Duration checkInterval;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Keep the hand-off bundle and the audit events (JSON lines) here (default: a temporary folder, removed).")
  Path workDir;

  @Option(names = "--verbose", description = "Also print the policy documents (as applied) and the hand-off bundle.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Io io = Main.io(spec);
    if (revalidateAfter.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new UsageException("--revalidate-after: at least 1s, got " + revalidateAfter.toMillis() + "ms");
    }
    if (checkInterval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new UsageException("--check-interval: at least 100ms, got " + checkInterval.toMillis() + "ms");
    }
    Story.Result r = Demo.run(io.out(), new Demo.Options(endpoints, aws, region, vendorAccount, revalidateAfter,
        checkInterval, workDir, keepResources, verbose));
    io.out().println(r.lastLine());
    io.out().flush();
    if (!r.ok()) {
      throw new OperationFailedException("demo failed: " + String.join("; ", r.problems));
    }
    return ExitCodes.OK;
  }

  /** Reads {@code 2s}, {@code 1500ms}, {@code 1m} or an ISO-8601 duration such as {@code PT2S}. */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(java.util.Locale.ROOT);
      try {
        if (v.startsWith("pt")) {
          return Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
          return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
          return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
      } catch (RuntimeException e) {
        // fall through to the message below
      }
      throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a duration such as 2s, 1500ms or 1m");
    }
  }
}
