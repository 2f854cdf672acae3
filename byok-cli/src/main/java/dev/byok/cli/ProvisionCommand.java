package dev.byok.cli;

import dev.byok.cli.internal.Errors;
import dev.byok.cli.internal.Io;
import dev.byok.cli.internal.OutputFormat;
import dev.byok.cli.internal.UsageException;
import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.AwsClients;
import dev.byok.provisioning.ChangeReport;
import dev.byok.provisioning.Export;
import dev.byok.provisioning.ExportFormat;
import dev.byok.provisioning.LintFinding;
import dev.byok.provisioning.Plan;
import dev.byok.provisioning.Provisioner;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.Revocation;
import dev.byok.provisioning.VendorProfile;
import dev.byok.provisioning.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;

/**
 * {@code byok provision plan|apply|verify|revoke|restore|destroy|export|bundle}: the customer's BYOK
 * set-up of the guide (KMS key and policy, CloudTrail with its bucket and log key, CloudWatch log
 * group, IAM log policy and role) from a spec file ({@code --spec}) or flags. {@code plan} and
 * {@code export} (the set-up as a CloudFormation template or a Terraform module) are offline; the
 * others call AWS with the default region and credentials chains, or {@code --profile} and
 * {@code --endpoint-url}.
 */
@Command(name = "provision",
    description = {"Set up, check, revoke and remove the customer side of BYOK on AWS (the guide's steps).",
        "plan works offline; the other subcommands call AWS."},
    subcommands = {ProvisionCommand.PlanCmd.class, ProvisionCommand.ApplyCmd.class, ProvisionCommand.VerifyCmd.class,
        ProvisionCommand.RevokeCmd.class, ProvisionCommand.RestoreCmd.class, ProvisionCommand.DestroyCmd.class,
        ProvisionCommand.ExportCmd.class, ProvisionCommand.BundleCmd.class})
final class ProvisionCommand {

  /** The spec options and the output {@code --format} of every subcommand but {@code export}. */
  static final class SpecOptions extends SpecFields {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;
  }

  /** The spec options every subcommand has. */
  static class SpecFields {
    @Option(names = "--spec", paramLabel = "FILE", description = "A JSON spec file; flags given as well override its fields.")
    Path specFile;

    @Option(names = "--company", paramLabel = "NAME", description = "Company name, as in alias/<company>-<app>-<env>.")
    String company;

    @Option(names = "--app", paramLabel = "NAME", description = "The SaaS app, such as slack.")
    String app;

    @Option(names = "--env", paramLabel = "NAME", description = "Environment, such as sandbox or prod.")
    String env;

    @Option(names = "--region", paramLabel = "REGION",
        description = "AWS region (default: the spec, then AWS_REGION / aws.region, then the profile's region).")
    String region;

    @Option(names = "--vendor", paramLabel = "PROFILE",
        description = "Built-in vendor profile: slack, atlassian, asana, miro, mural, salesforce, box, generic.")
    String vendor;

    @Option(names = "--vendor-profile", paramLabel = "FILE", description = "A vendor profile JSON file instead of a built-in one.")
    Path vendorProfile;

    @Option(names = "--vendor-account", paramLabel = "ACCOUNT_ID",
        description = "The vendor's 12-digit AWS account ID (repeat for each; ask the vendor's technical contact).")
    List<String> vendorAccounts = new ArrayList<>();

    @Option(names = "--account", paramLabel = "ACCOUNT_ID",
        description = "Your own AWS account ID: fills it into plan, and apply checks the credentials belong to it.")
    String account;

    @Option(names = "--external-id", paramLabel = "ID",
        description = "External ID for the log role's trust policy (default: the role's existing one, else 32 random bytes hex).")
    String externalId;

    @Option(names = "--key-admin", paramLabel = "ARN", description = "IAM role or user ARN that administers the key (repeatable).")
    List<String> keyAdmins = new ArrayList<>();

    @Option(names = "--admins-may-delete", paramLabel = "true|false", arity = "1",
        description = "Whether --key-admin principals may schedule key deletion (default true).")
    Boolean adminsMayDelete;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Tag for the key and the other resources (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--encryption-context", paramLabel = "KEY=VALUE",
        description = "Allow the vendor's cryptographic calls only with this encryption context (repeatable).")
    List<String> encryptionContext = new ArrayList<>();

    @Option(names = "--log-retention-days", paramLabel = "DAYS", description = "Retention of the log group (CloudWatch values, e.g. 365).")
    Integer logRetentionDays;

    @Option(names = "--log-group-kms-key", paramLabel = "ARN",
        description = "A KMS key of yours that encrypts the log group (its key policy must allow logs.<region>.amazonaws.com).")
    String logGroupKmsKey;

    @Option(names = "--bucket", paramLabel = "NAME", description = "CloudTrail bucket name (default <company>-<app>-<env>-cloudtrail-<account>).")
    String bucket;

    @Option(names = "--multi-region-key", description = "Create a multi-Region key (default single-Region).")
    boolean multiRegionKey;

    @Option(names = "--no-insights", description = "Do not turn on CloudTrail Insights (API call rate, API error rate).")
    boolean noInsights;

    @Option(names = "--vendor-event-bus", paramLabel = "ARN",
        description = "Forward this key's KMS events (DisableKey, EnableKey, ...) to the vendor's EventBridge bus, "
            + "e.g. arn:aws:events:us-east-1:444455556666:event-bus/byok-key-events: a rule on the default bus and the role it uses.")
    String vendorEventBus;

    /** The spec from the flags and {@code --spec}; every value apply needs is required. */
    ProvisioningSpec spec() {
      return spec(false);
    }

    /**
     * The spec; with {@code namesOnly} the vendor flags may be left out (revoke, restore, verify,
     * destroy and bundle read the vendor from the live set-up).
     */
    ProvisioningSpec spec(boolean namesOnly) {
      ProvisioningSpec.Builder b;
      if (specFile != null) {
        try {
          b = ProvisioningSpec.read(specFile).toBuilder();
        } catch (NoSuchFileException e) {
          throw new UsageException("--spec: no such file: " + specFile, e);
        } catch (IOException e) {
          throw new UsageException("--spec: cannot read " + specFile + ": " + e.getMessage(), e);
        }
      } else {
        b = ProvisioningSpec.builder();
      }
      if (company != null) b.company(company);
      if (app != null) b.app(app);
      if (env != null) b.env(env);
      if (vendor != null && vendorProfile != null) {
        throw new UsageException("give --vendor or --vendor-profile, not both");
      }
      if (vendor != null) b.vendor(VendorProfile.builtIn(vendor));
      if (vendorProfile != null) {
        try {
          b.vendor(VendorProfile.fromJson(Files.readString(vendorProfile, StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new UsageException("--vendor-profile: cannot read " + vendorProfile + ": " + e.getMessage(), e);
        }
      }
      if (!vendorAccounts.isEmpty()) {
        List<AwsAccountId> ids = new ArrayList<>();
        for (String a : vendorAccounts) {
          ids.add(parseAccount("--vendor-account", a));
        }
        b.vendorAccounts(ids);
      }
      if (account != null) b.account(parseAccount("--account", account));
      if (externalId != null) b.externalId(externalId);
      keyAdmins.forEach(b::addKeyAdministrator);
      if (adminsMayDelete != null) b.administratorsMayDeleteKey(adminsMayDelete);
      for (String t : tags) {
        String[] kv = pair("--tag", t);
        b.tag(kv[0], kv[1]);
      }
      for (String c : encryptionContext) {
        String[] kv = pair("--encryption-context", c);
        b.encryptionContextCondition(kv[0], kv[1]);
      }
      if (logRetentionDays != null) b.logRetentionDays(logRetentionDays);
      if (bucket != null) b.bucketName(bucket);
      if (logGroupKmsKey != null) {
        try {
          b.logGroupKmsKey(logGroupKmsKey);
        } catch (IllegalArgumentException e) {
          throw new UsageException("--log-group-kms-key: " + e.getMessage().replaceFirst("^spec: logGroupKmsKey ", ""), e);
        }
      }
      if (multiRegionKey) b.multiRegionKey(true);
      if (noInsights) b.insights(false);
      if (vendorEventBus != null) {
        try {
          b.vendorEventBus(vendorEventBus);
        } catch (IllegalArgumentException e) {
          throw new UsageException("--vendor-event-bus: " + e.getMessage().replaceFirst("^spec: ", ""), e);
        }
      }
      if (region != null) {
        b.region(region);
      } else if (specFile == null) {
        b.region(defaultRegion()); // a spec file always has its region
      }
      try {
        return namesOnly ? b.buildNamesOnly() : b.build();
      } catch (IllegalStateException e) {
        throw new UsageException(missingFlags(String.valueOf(e.getMessage())), e); // a required value is missing
      }
    }

    /** "spec: missing company, vendorAccounts (...)" in the command line's terms: the flags to give. */
    private String missingFlags(String message) {
      String prefix = "spec: missing ";
      if (!message.startsWith(prefix)) {
        return message;
      }
      List<String> flags = new ArrayList<>();
      for (String field : message.substring(prefix.length()).replaceAll(" \\([^)]*\\)", "").split(", ")) {
        flags.add(switch (field) {
          case "vendor" -> "--vendor (or --vendor-profile)";
          case "vendorAccounts" -> "--vendor-account";
          default -> "--" + field;
        });
      }
      return "missing " + String.join(", ", flags) + (specFile == null ? " (or give --spec FILE)" : " (not in " + specFile + " either)");
    }

    private static String defaultRegion() {
      try {
        // Environment, system property, profile: never the EC2 metadata service, so plan stays offline.
        return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()).getRegion().id();
      } catch (RuntimeException e) {
        throw new UsageException("--region is required (or set AWS_REGION, or a region in the AWS profile)");
      }
    }

    private static AwsAccountId parseAccount(String option, String v) {
      try {
        return AwsAccountId.of(v);
      } catch (IllegalArgumentException e) {
        throw new UsageException(option + ": " + e.getMessage(), e);
      }
    }

    private static String[] pair(String option, String v) {
      int eq = v.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(option + " needs KEY=VALUE, got '" + v + "'");
      }
      return new String[] {v.substring(0, eq), v.substring(eq + 1)};
    }
  }

  /** Options of the subcommands that call AWS. */
  static final class AwsOptions {
    @Option(names = "--endpoint-url", paramLabel = "[SERVICE=]URL",
        description = "Endpoint for every service, or SERVICE=URL for one (kms, iam, s3, cloudtrail, logs, sts, events, sns, sqs); repeatable.")
    List<String> endpoints = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile for credentials (default: the default credentials chain).")
    String profile;

    AwsClients clients(String region) {
      AwsClients.Builder b = AwsClients.builder().region(region);
      for (String e : endpoints) {
        try {
          b.endpointOverride(e);
        } catch (IllegalArgumentException | IllegalStateException x) {
          throw new UsageException("--endpoint-url: " + Errors.oneLine(String.valueOf(x.getMessage())), x);
        }
      }
      if (profile != null) {
        b.credentials(ProfileCredentialsProvider.create(profile));
      }
      return b.build();
    }
  }

  /**
   * Runs {@code op} with a provisioner on fresh clients, closing them after. An error after writes
   * ("run apply again to resume") names the command line that resumes: this one.
   */
  static <T> T withProvisioner(CommandSpec cmd, ProvisioningSpec spec, AwsOptions aws, Function<Provisioner, T> op) {
    try (AwsClients clients = aws.clients(spec.region())) {
      return op.apply(Provisioner.builder().spec(spec).clients(clients).build());
    } catch (ProvisioningException e) {
      String m = String.valueOf(e.getMessage());
      String hint = "run " + cmd.name() + " again";
      int at = m.lastIndexOf(hint);
      if (at < 0) {
        throw e;
      }
      throw new ProvisioningException(m.substring(0, at) + "resume with: " + commandLine(cmd) + m.substring(at + hint.length())
          .replaceFirst("^ to resume", ""), e.getCause(), e.retryable());
    }
  }

  /** This run's command line, {@code byok provision SUB ...}, with the external ID's value left out (it is secret). */
  static String commandLine(CommandSpec cmd) {
    List<String> args = cmd.commandLine().getParseResult().originalArgs();
    StringBuilder b = new StringBuilder("byok");
    boolean secret = false;
    for (String a : args) {
      String shown = secret ? "<EXTERNAL_ID>" : a.startsWith("--external-id=") ? "--external-id=<EXTERNAL_ID>" : a;
      secret = a.equals("--external-id");
      b.append(' ').append(shown.matches("[A-Za-z0-9_@%+=:,./<>-]+") ? shown : "'" + shown.replace("'", "'\\''") + "'");
    }
    return b.toString();
  }

  static void print(Io io, OutputFormat format, ChangeReport r) {
    print(io, format, r::toJson, r::toText);
  }

  /** Prints a report (plan, changes, checks) as JSON or as text, per {@code --format}. */
  private static void print(Io io, OutputFormat format, Supplier<String> json, Supplier<String> text) {
    PrintWriter out = io.out();
    if (format == OutputFormat.json) {
      out.println(json.get());
    } else {
      out.print(text.get());
      out.flush();
    }
  }

  @Command(name = "plan", description = "Offline: every resource name, every policy document (rendered and linted), every call apply makes.")
  static final class PlanCmd implements Callable<Integer> {
    @Spec CommandSpec cmd;
    @Mixin SpecOptions opts;

    @Override
    public Integer call() {
      Plan plan = Provisioner.plan(opts.spec());
      Io io = Main.io(cmd);
      print(io, opts.format, plan::toJson, plan::toText);
      if (!plan.lintPassed()) {
        io.err().println("byok provision plan: lint: " + plan.findings().get(0)
            + (plan.findings().size() > 1 ? " (and " + (plan.findings().size() - 1) + " more)" : ""));
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "apply", description = "Create or converge every resource; idempotent and resumable. Prints the hand-off bundle.")
  static final class ApplyCmd implements Callable<Integer> {
    @Spec CommandSpec cmd;
    @Mixin SpecOptions opts;
    @Mixin AwsOptions aws;

    @Option(names = "--bundle-out", paramLabel = "FILE", description = "Also write the hand-off bundle (JSON) to FILE for the vendor.")
    Path bundleOut;

    @Override
    public Integer call() throws IOException {
      ProvisioningSpec spec = opts.spec();
      ChangeReport r = withProvisioner(cmd, spec, aws, Provisioner::apply);
      print(Main.io(cmd), opts.format, r);
      if (bundleOut != null) {
        HandoffBundle b = r.handoffBundle().orElseThrow(() -> new UsageException(
            "--bundle-out: the " + spec.vendor().name() + " profile writes no logs through a role, so there is no hand-off bundle"));
        b.write(bundleOut);
        Main.io(cmd).err().println("byok provision apply: wrote the hand-off bundle to " + bundleOut);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "verify", description = {"Read everything back and report each check; exit status 1 when one fails.",
      "Needs only the names (--company, --app, --env, --region) or --spec; without the vendor flags the vendor",
      "statements are read from the key policy (and so checked against themselves)."})
  static final class VerifyCmd implements Callable<Integer> {
    @Spec CommandSpec cmd;
    @Mixin SpecOptions opts;
    @Mixin AwsOptions aws;

    @Override
    public Integer call() {
      VerifyReport r = withProvisioner(cmd, opts.spec(true), aws, Provisioner::verify);
      Io io = Main.io(cmd);
      print(io, opts.format, r::toJson, r::toText);
      if (!r.allPassed()) {
        io.err().println("byok provision verify: " + r.failures().size() + " of " + r.checks().size() + " checks failed, first: "
            + r.failures().get(0));
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  /**
   * The argument of deny-scope ({@code --context KEY=VALUE}) and schedule-deletion
   * ({@code --days DAYS}), the style of {@code byok keys}; the older positional form
   * ({@code deny-scope tenant=acme}, {@code schedule-deletion 7}) is still accepted, hidden from help.
   */
  static final class RevocationArgs {
    @Option(names = "--context", paramLabel = "KEY=VALUE",
        description = "For deny-scope: the encryption-context pair whose use to deny, e.g. tenant=acme.")
    String context;

    @Option(names = "--days", paramLabel = "DAYS", description = "For schedule-deletion: the waiting period, 7-30 days.")
    Integer days;

    Revocation parse(String mode, @org.jspecify.annotations.Nullable String positional, boolean restore) {
      if (context != null && days != null) {
        throw new UsageException("give --context (deny-scope) or --days (schedule-deletion), not both");
      }
      String option = context != null ? "--context" : days != null ? "--days" : null;
      String value = context != null ? context : days != null ? String.valueOf(days) : null;
      if (option != null && positional != null) {
        throw new UsageException(option + " and the argument '" + positional + "' say the same thing; give " + option + " only");
      }
      Revocation.Mode m = Revocation.Mode.parse(mode);
      if (option != null && !option.equals(m == Revocation.Mode.DENY_SCOPE ? "--context" : m == Revocation.Mode.SCHEDULE_DELETION
          ? "--days" : "")) {
        throw new UsageException(option + " does not apply to " + m.id() + (m == Revocation.Mode.DENY_SCOPE ? " (use --context KEY=VALUE)"
            : m == Revocation.Mode.SCHEDULE_DELETION ? " (use --days DAYS)" : " (it takes no argument)"));
      }
      try {
        return Revocation.parse(mode, value != null ? value : positional, restore);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      }
    }
  }

  @Command(name = "revoke", description = {"Cut the vendor off: disable, deny-vendor, deny-scope or schedule-deletion.",
      "deny-scope takes --context KEY=VALUE, schedule-deletion --days DAYS (7-30).",
      "Needs only the names (--company, --app, --env, --region) or --spec: the vendor is read from the key policy."})
  static final class RevokeCmd implements Callable<Integer> {
    @Spec CommandSpec cmd;
    @Mixin SpecOptions opts;
    @Mixin AwsOptions aws;
    @Mixin RevocationArgs revocation;

    @Parameters(index = "0", paramLabel = "MODE", description = "disable, deny-vendor, deny-scope or schedule-deletion.")
    String mode;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ARG", hidden = true,
        description = "The older form of --context / --days: KEY=VALUE for deny-scope, DAYS for schedule-deletion.")
    String positional;

    @Override
    public Integer call() {
      Revocation r = revocation.parse(mode, positional, false);
      print(Main.io(cmd), opts.format, withProvisioner(cmd, opts.spec(true), aws, p -> p.revoke(r)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "restore", description = {"Undo a revocation: the MODE given, or every one found.",
      "deny-scope --context KEY=VALUE restores one scope, deny-scope alone every scope.",
      "Needs only the names (--company, --app, --env, --region) or --spec: the vendor is read from the key policy."})
  static final class RestoreCmd implements Callable<Integer> {
    @Spec CommandSpec cmd;
    @Mixin SpecOptions opts;
    @Mixin AwsOptions aws;
    @Mixin RevocationArgs revocation;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODE", description = "disable, deny-vendor, deny-scope or schedule-deletion (default: all).")
    String mode;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ARG", hidden = true, description = "The older form of --context: KEY=VALUE.")
    String positional;

    @Override
    public Integer call() {
      Revocation r;
      if (mode == null) {
        if (revocation.context != null || revocation.days != null) {
          throw new UsageException("--context and --days need a MODE (deny-scope, schedule-deletion)");
        }
        r = null;
      } else {
        r = revocation.parse(mode, positional, true);
      }
      print(Main.io(cmd), opts.format, withProvisioner(cmd, opts.spec(true), aws, p -> p.restore(r)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "destroy", description = {"Remove what apply created; the keys are scheduled for deletion. Needs --yes.",
      "Deletes the trail, the bucket and its log files, the role, the IAM policy, the log group, the aliases",
      "and the key-event rule and role. Needs only the names (--company, --app, --env, --region) or --spec."})
  static final class DestroyCmd implements Callable<Integer> {
    @Spec CommandSpec cmd;
    @Mixin SpecOptions opts;
    @Mixin AwsOptions aws;

    @Option(names = "--key-deletion-days", paramLabel = "DAYS", defaultValue = "30", description = "Key deletion waiting period, 7-30 (default 30).")
    int days;

    @Option(names = "--yes", description = "Confirm: this deletes the CloudTrail log files and schedules the keys for deletion.")
    boolean yes;

    @Override
    public Integer call() {
      if (!yes) {
        throw new UsageException("destroy deletes the trail's log files and schedules both keys for deletion; add --yes to confirm");
      }
      print(Main.io(cmd), opts.format, withProvisioner(cmd, opts.spec(true), aws, p -> p.destroy(days)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "export", description = {"Offline: the set-up as a CloudFormation template or a Terraform module.",
      "From the same spec and flags as plan: template.json, or versions.tf, providers.tf, variables.tf, main.tf, outputs.tf."})
  static final class ExportCmd implements Callable<Integer> {
    @Spec CommandSpec cmd;
    @Mixin SpecFields opts;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "cloudformation or terraform.")
    String format;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the files into DIR (created if missing); default: standard output.")
    Path out;

    @Override
    public Integer call() {
      ExportFormat f;
      try {
        f = ExportFormat.parse(format);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--format: " + e.getMessage(), e);
      }
      Export export = Provisioner.export(opts.spec(), f);
      Io io = Main.io(cmd);
      for (LintFinding w : export.warnings()) {
        io.err().println("byok provision export: warning: " + w);
      }
      if (out == null) {
        io.out().print(export.text());
        io.out().flush();
        return ExitCodes.OK;
      }
      List<Path> written;
      try {
        written = export.writeTo(out);
      } catch (IOException e) {
        throw new UsageException("--out '" + out + "': cannot write there (" + Errors.message(e) + ")", e);
      }
      for (Path p : written) {
        io.out().println("wrote " + p);
      }
      export.notes().forEach(n -> io.out().println("note: " + n));
      return ExitCodes.OK;
    }
  }

  @Command(name = "bundle", description = {"Read the hand-off bundle for the vendor from the live resources.",
      "Whichever tool made them (byok apply, CloudFormation, Terraform): key ARN, role ARN and external ID, log group."})
  static final class BundleCmd implements Callable<Integer> {
    @Spec CommandSpec cmd;
    @Mixin SpecFields opts;
    @Mixin AwsOptions aws;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the bundle (JSON) to FILE; default: standard output.")
    Path out;

    @Override
    public Integer call() {
      ProvisioningSpec spec = opts.spec(true);
      if (out != null) {
        Path parent = out.toAbsolutePath().getParent();
        if (Files.isDirectory(out) || parent == null || !Files.isDirectory(parent)) {
          throw new UsageException("--out '" + out + "': cannot write there (" + (Files.isDirectory(out) ? "it is a folder"
              : "folder '" + parent + "' does not exist") + ")");
        }
      }
      HandoffBundle b = withProvisioner(cmd, spec, aws, Provisioner::bundle);
      Io io = Main.io(cmd);
      if (out == null) {
        io.out().println(b.toJson());
        return ExitCodes.OK;
      }
      try {
        b.write(out);
      } catch (IOException e) {
        throw new UsageException("--out '" + out + "': cannot write there (" + Errors.message(e) + ")", e);
      }
      io.err().println("byok provision bundle: wrote the hand-off bundle to " + out);
      return ExitCodes.OK;
    }
  }
}
