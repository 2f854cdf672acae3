package dev.byok.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.cli.internal.Io;
import dev.byok.cli.internal.Json;
import dev.byok.cli.internal.OutputFormat;
import dev.byok.cli.internal.UsageException;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.fleet.Fleet;
import dev.byok.crypto.fleet.FleetModel;
import dev.byok.crypto.fleet.Prediction;
import dev.byok.crypto.fleet.Routing;
import dev.byok.crypto.fleet.Traffic;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code byok fleet-model}: what a vendor fleet costs in AWS KMS calls against the account's quota,
 * from {@link FleetModel} (docs/fleet.md). Prints text for people or one JSON document
 * ({@code --format json}) with {@code kmsCallsPerSecond} ({@code total}, {@code byOperation}),
 * {@code quotaShare}, the revocation latency and the cache hit ratio.
 */
@Command(name = "fleet-model",
    description = {"Predict a fleet's AWS KMS calls per second, by operation, and its share of the account's quota "
        + "(docs/fleet.md).",
        "Example: byok fleet-model --instances 100 --tenants 10000 --contexts 3 --routing affine:3"})
final class FleetModelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--instances", paramLabel = "N", required = true, description = "Instances of the service.")
  int instances;

  @Option(names = "--tenants", paramLabel = "N", required = true, description = "Tenants, each with its own customer key.")
  long tenants;

  @Option(names = "--contexts", paramLabel = "N", required = true,
      description = "Encryption contexts (scopes) per tenant.")
  int contexts;

  @Option(names = "--traffic", paramLabel = "uniform|zipf:S", defaultValue = "uniform",
      description = "How requests spread over tenants (default: ${DEFAULT-VALUE}).")
  String traffic;

  @Option(names = "--routing", paramLabel = "random|affine:K", defaultValue = "random",
      description = "Any instance, or K instances per tenant (default: ${DEFAULT-VALUE}).")
  String routing;

  @Option(names = "--revalidate-after", paramLabel = "DURATION", converter = DemoCommand.DurationConverter.class,
      description = "The cache's revalidateAfter, e.g. 60s, 5m (default: 60s).")
  Duration revalidateAfter;

  @Option(names = "--max-age", paramLabel = "DURATION", converter = DemoCommand.DurationConverter.class,
      description = "The cache's maxAge (default: 5m).")
  Duration maxAge;

  @Option(names = "--push", description = "The customers' key events are pushed to every instance.")
  boolean push;

  @Option(names = "--quota", paramLabel = "N", defaultValue = "10000",
      description = "The account's KMS quota for cryptographic operations in the region, per second "
          + "(default: ${DEFAULT-VALUE}; 100000 in us-east-1, us-west-2, eu-west-1).")
  long quota;

  @Option(names = "--requests-per-second", paramLabel = "N",
      description = "The fleet's encrypts and decrypts per second (default: every scope busy on every instance "
          + "that serves it, the upper bound).")
  Double requestsPerSecond;

  @Option(names = "--encrypt-share", paramLabel = "F", defaultValue = "0.5",
      description = "The share of requests that encrypt; the rest decrypt recent messages (default: ${DEFAULT-VALUE}).")
  double encryptShare;

  @Option(names = "--no-coalescing", description = "Model one confirmation per cached data key (byok before issue 18).")
  boolean noCoalescing;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Override
  public Integer call() {
    Fleet fleet;
    try {
      CachePolicy.Builder policy = CachePolicy.builder();
      if (revalidateAfter != null) {
        policy.revalidateAfter(revalidateAfter);
      }
      if (maxAge != null) {
        policy.maxAge(maxAge);
      }
      Fleet.Builder b = Fleet.builder().instances(instances).tenants(tenants).contextsPerTenant(contexts)
          .traffic(Traffic.parse(traffic)).routing(Routing.parse(routing)).cachePolicy(policy.build())
          .coalesced(!noCoalescing).push(push).quota(quota).encryptShare(encryptShare);
      if (requestsPerSecond != null) {
        b.requestsPerSecond(requestsPerSecond);
      }
      fleet = b.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Prediction p = FleetModel.predict(fleet);
    Io io = Main.io(spec);
    if (format == OutputFormat.json) {
      io.out().println(Json.write(toJson(p)));
    } else {
      printText(io, p);
    }
    return ExitCodes.OK;
  }

  static ObjectNode toJson(Prediction p) {
    Fleet f = p.fleet();
    ObjectNode n = Json.object();
    ObjectNode in = n.putObject("fleet");
    in.put("instances", f.instances());
    in.put("tenants", f.tenants());
    in.put("contextsPerTenant", f.contextsPerTenant());
    in.put("traffic", f.traffic().toString());
    in.put("routing", f.routing().toString());
    in.put("revalidateAfterSeconds", f.cachePolicy().revalidateAfter().toMillis() / 1000.0);
    in.put("maxAgeSeconds", f.cachePolicy().maxAge().toMillis() / 1000.0);
    in.put("coalesced", f.coalesced());
    in.put("push", f.push());
    in.put("quota", f.quota());
    if (f.requestsPerSecond().isPresent()) {
      in.put("requestsPerSecond", f.requestsPerSecond().getAsDouble());
    } else {
      in.putNull("requestsPerSecond");
    }
    in.put("encryptShare", f.encryptShare());
    Prediction.CallRates c = p.kmsCallsPerSecond();
    ObjectNode calls = n.putObject("kmsCallsPerSecond");
    calls.put("total", round(c.total()));
    ObjectNode byOp = calls.putObject("byOperation");
    byOp.put("GenerateDataKey", round(c.generateDataKey()));
    byOp.put("Decrypt", round(c.decrypt()));
    ObjectNode decrypt = calls.putObject("decryptByPurpose");
    decrypt.put("load", round(c.decryptLoads()));
    decrypt.put("reconfirmation", round(c.reconfirmations()));
    n.put("quotaShare", Math.round(p.quotaShare() * 1e6) / 1e6);
    n.put("worstCaseRevocationSeconds", p.worstCaseRevocation().toMillis() / 1000.0);
    if (p.pushedRevocation() != null) {
      n.put("pushedRevocationSeconds", p.pushedRevocation().toMillis() / 1000.0);
    } else {
      n.putNull("pushedRevocationSeconds");
    }
    if (p.cacheHitRatio().isPresent()) {
      n.put("cacheHitRatio", Math.round(p.cacheHitRatio().getAsDouble() * 1e6) / 1e6);
    } else {
      n.putNull("cacheHitRatio");
    }
    n.put("instancesPerScope", p.instancesPerScope());
    n.put("cachedScopesPerInstance", round(p.cachedScopesPerInstance()));
    n.put("cachedEntriesPerInstance", round(p.cachedEntriesPerInstance()));
    n.put("cacheOverflow", p.cacheOverflow());
    return n;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static void printText(Io io, Prediction p) {
    Fleet f = p.fleet();
    Prediction.CallRates c = p.kmsCallsPerSecond();
    io.out().printf(Locale.ROOT, "fleet: %,d instances, %,d tenants x %d contexts, traffic %s, routing %s, "
        + "revalidateAfter %s, maxAge %s, %s%s%n", f.instances(), f.tenants(), f.contextsPerTenant(), f.traffic(),
        f.routing(), text(f.cachePolicy().revalidateAfter()), text(f.cachePolicy().maxAge()),
        f.coalesced() ? "coalesced" : "not coalesced", f.push() ? ", push" : "");
    io.out().printf(Locale.ROOT, "kms calls/s: %,.1f (GenerateDataKey %,.1f, Decrypt %,.1f: loads %,.1f, "
        + "re-confirmations %,.1f)%n", c.total(), c.generateDataKey(), c.decrypt(), c.decryptLoads(), c.reconfirmations());
    io.out().printf(Locale.ROOT, "quota: %.1f%% of %,d/s%s%n", p.quotaShare() * 100, f.quota(),
        p.quotaShare() > 1 ? " (over the quota: KMS throttles)" : p.quotaShare() > 0.2 ? " (above 20%)" : "");
    io.out().printf(Locale.ROOT, "revocation: worst case %s (revalidateAfter)%s%n", text(p.worstCaseRevocation()),
        p.pushedRevocation() == null ? "" : "; pushed events: " + p.pushedRevocation().toMillis()
            + " ms after the event reaches the vendor's bus (p99 measured on the emulators)");
    io.out().printf(Locale.ROOT, "cache: %s; %,.0f scopes and %,.0f data keys per instance%s%n",
        p.cacheHitRatio().isPresent() ? String.format(Locale.ROOT, "hit ratio %.4f", p.cacheHitRatio().getAsDouble())
            : "hit ratio n/a (give --requests-per-second)", p.cachedScopesPerInstance(), p.cachedEntriesPerInstance(),
        p.cacheOverflow() ? " (more than maxEntries: the cache thrashes and these figures are too low)" : "");
  }

  private static String text(Duration d) {
    return d.toMillis() % 60_000 == 0 ? d.toMinutes() + "m" : d.toMillis() / 1000.0 + "s";
  }
}
