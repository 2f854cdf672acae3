package dev.byok.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.cli.internal.Io;
import dev.byok.cli.internal.Json;
import dev.byok.cli.internal.Keystores;
import dev.byok.cli.internal.OperationFailedException;
import dev.byok.cli.internal.OutputFormat;
import dev.byok.core.AwsAccountId;
import dev.byok.core.KeyArn;
import dev.byok.local.ContextDenyRule;
import dev.byok.core.keys.KeyServiceException;
import dev.byok.local.LocalKeyInfo;
import dev.byok.local.LocalKeyService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code byok keys ...}: administers the keys of the embedded key service in a keystore file, as a
 * customer administers its AWS KMS keys. Each subcommand opens the file, makes one change (written
 * at once, atomically, owner-only) and closes it.
 */
@Command(name = "keys",
    description = {"Manage keys of the embedded key service in a keystore file (development and tests: "
        + "the file holds key material in plaintext)."},
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Disable.class,
        KeysCommand.Enable.class, KeysCommand.ScheduleDeletion.class, KeysCommand.CancelDeletion.class,
        KeysCommand.AllowAccount.class, KeysCommand.RemoveAccount.class, KeysCommand.Deny.class,
        KeysCommand.Undeny.class})
final class KeysCommand {

  /** The options every keys subcommand has. */
  static final class Common {
    @Option(names = "--keystore", paramLabel = "FILE", required = true,
        description = "The keystore file of the embedded key service.")
    Path keystore;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;
  }

  /** A subcommand acting on one existing key. */
  abstract static class OnKey implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Parameters(index = "0", paramLabel = "KEY", description = "Key ARN, key ID, alias/NAME or alias ARN.")
    String key;

    /** Makes the change and returns what to print as JSON fields and text. */
    abstract Map<String, String> change(LocalKeyService keys, String key);

    @Override
    public Integer call() {
      LocalKeyService keys = Keystores.open(common.keystore, false);
      Map<String, String> result = admin(() -> change(keys, key));
      LocalKeyInfo info = admin(() -> keys.describe(key));
      print(Main.io(spec), common.format, info, result);
      return ExitCodes.OK;
    }
  }

  @Command(name = "create", description = "Create a key (and the keystore file if it does not exist); prints its ARN.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the key protects.")
    String description;

    @Option(names = "--alias", paramLabel = "NAME", description = "An alias, e.g. acme-slack-sandbox (the guide's naming).")
    String alias;

    @Option(names = "--allow-account", paramLabel = "ACCOUNT",
        description = "A vendor AWS account ID allowed to use the key (repeatable).")
    List<String> allowAccounts = new ArrayList<>();

    @Override
    public Integer call() {
      List<AwsAccountId> accounts = new ArrayList<>();
      for (String a : allowAccounts) {
        try {
          accounts.add(AwsAccountId.of(a));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--allow-account: " + e.getMessage(), e);
        }
      }
      boolean existed = java.nio.file.Files.exists(common.keystore);
      LocalKeyService keys = Keystores.open(common.keystore, true);
      Io io = Main.io(spec);
      if (!existed) {
        io.err().println("byok keys create: created keystore " + common.keystore
            + " (owner-only; for development and tests: it holds key material in plaintext)");
      }
      KeyArn arn = admin(() -> keys.createKey(description, alias));
      for (AwsAccountId a : accounts) {
        admin(() -> keys.allowAccount(arn.toString(), a));
      }
      if (common.format == OutputFormat.json) {
        io.out().println(Json.write(toJson(keys.describe(arn.toString()))));
      } else {
        io.out().println(arn);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List the keys in the keystore.")
  static final class ListKeys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Override
    public Integer call() {
      LocalKeyService keys = Keystores.open(common.keystore, false);
      List<LocalKeyInfo> all = keys.listKeys();
      PrintWriter out = Main.io(spec).out();
      if (common.format == OutputFormat.json) {
        ArrayNode arr = Json.array();
        for (LocalKeyInfo k : all) {
          arr.add(toJson(k));
        }
        out.println(Json.write(arr));
        return ExitCodes.OK;
      }
      if (all.isEmpty()) {
        out.println("no keys in " + common.keystore);
        return ExitCodes.OK;
      }
      out.printf("%-36s  %-16s  %-24s  %s%n", "KEY ID", "STATE", "ALIASES", "ALLOWED ACCOUNTS / DENY RULES");
      for (LocalKeyInfo k : all) {
        String state = k.state() + k.deletionDate().map(d -> " until " + d).orElse("");
        List<String> access = new ArrayList<>();
        k.allowedAccounts().stream().sorted((a, b) -> a.value().compareTo(b.value()))
            .forEach(a -> access.add(a.value()));
        for (ContextDenyRule r : k.denyRules()) {
          access.add("deny " + r);
        }
        out.printf("%-36s  %-16s  %-24s  %s%n", k.keyId(), state,
            k.aliases().isEmpty() ? "-" : String.join(",", k.aliases()),
            access.isEmpty() ? "-" : String.join(" ", access));
      }
      out.println("region " + keys.region() + ", owner account " + keys.ownerAccount().value()
          + "; key ARNs are arn:" + keys.partition() + ":kms:" + keys.region() + ":"
          + keys.ownerAccount().value() + ":key/KEY_ID");
      return ExitCodes.OK;
    }
  }

  @Command(name = "disable", description = "Disable a key: every use of it fails until it is enabled.")
  static final class Disable extends OnKey {
    @Override
    Map<String, String> change(LocalKeyService keys, String key) {
      keys.disableKey(key);
      return Map.of("change", "disabled");
    }
  }

  @Command(name = "enable", description = "Enable a disabled key.")
  static final class Enable extends OnKey {
    @Override
    Map<String, String> change(LocalKeyService keys, String key) {
      keys.enableKey(key);
      return Map.of("change", "enabled");
    }
  }

  @Command(name = "schedule-deletion",
      description = "Schedule a key's deletion after 7-30 days; it is unusable at once.")
  static final class ScheduleDeletion extends OnKey {
    @Option(names = "--days", paramLabel = "DAYS", defaultValue = "30",
        description = "Waiting period in days, 7-30 (default: ${DEFAULT-VALUE}).")
    int days;

    @Override
    Map<String, String> change(LocalKeyService keys, String key) {
      Instant when = keys.scheduleKeyDeletion(key, days);
      return Map.of("change", "deletion scheduled", "deletionDate", when.toString());
    }
  }

  @Command(name = "cancel-deletion", description = "Cancel a scheduled deletion; the key becomes Disabled, as in KMS.")
  static final class CancelDeletion extends OnKey {
    @Override
    Map<String, String> change(LocalKeyService keys, String key) {
      keys.cancelKeyDeletion(key);
      return Map.of("change", "deletion cancelled (key is disabled; enable it to use it)");
    }
  }

  /** A subcommand changing one account's access to a key. */
  abstract static class OnAccount extends OnKey {
    @Parameters(index = "1", paramLabel = "ACCOUNT", description = "12-digit AWS account ID.")
    String account;
  }

  @Command(name = "allow-account", description = "Let an AWS account (the vendor's) use a key.")
  static final class AllowAccount extends OnAccount {
    @Override
    Map<String, String> change(LocalKeyService keys, String key) {
      return changeOrNot(keys.allowAccount(key, AwsAccountId.of(account)),
          "account " + account + " allowed", "account " + account + " was allowed");
    }
  }

  @Command(name = "remove-account", description = "Stop an AWS account from using a key.")
  static final class RemoveAccount extends OnAccount {
    @Override
    Map<String, String> change(LocalKeyService keys, String key) {
      return changeOrNot(keys.removeAccount(key, AwsAccountId.of(account)),
          "account " + account + " removed", "account " + account + " was not allowed");
    }
  }

  @Command(name = "deny", description = "Deny every use of a key whose encryption context has KEY=VALUE (scoped revocation, e.g. one tenant).")
  static final class Deny extends OnKey {
    @Option(names = "--context", paramLabel = "KEY=VALUE", required = true,
        converter = dev.byok.cli.internal.ContextPairConverter.class,
        description = "The encryption-context pair to deny, e.g. tenant=acme.")
    Map.Entry<String, String> pair;

    @Override
    Map<String, String> change(LocalKeyService keys, String key) {
      return changeOrNot(keys.addDenyRule(key, pair.getKey(), pair.getValue()),
          "denied " + pair.getKey() + "=" + pair.getValue(), pair.getKey() + "=" + pair.getValue() + " was denied");
    }
  }

  @Command(name = "undeny", description = "Remove a Deny rule added by 'keys deny'.")
  static final class Undeny extends OnKey {
    @Option(names = "--context", paramLabel = "KEY=VALUE", required = true,
        converter = dev.byok.cli.internal.ContextPairConverter.class,
        description = "The encryption-context pair to allow again.")
    Map.Entry<String, String> pair;

    @Override
    Map<String, String> change(LocalKeyService keys, String key) {
      return changeOrNot(keys.removeDenyRule(key, pair.getKey(), pair.getValue()),
          "removed deny " + pair.getKey() + "=" + pair.getValue(), pair.getKey() + "=" + pair.getValue() + " was not denied");
    }
  }

  /** The result of a change the key service may find already made: {@code done}, or "no change: {@code why}". */
  private static Map<String, String> changeOrNot(boolean changed, String done, String why) {
    return Map.of("change", changed ? done : "no change: " + why);
  }

  /** Runs an admin call; a key-service error (no such key, wrong state) is an operation failure. */
  private static <T> T admin(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (KeyServiceException e) {
      throw new OperationFailedException(e.errorCode() + ": " + e.getMessage(), e);
    }
  }

  private static void print(Io io, OutputFormat format, LocalKeyInfo info, Map<String, String> result) {
    if (format == OutputFormat.json) {
      ObjectNode n = toJson(info);
      result.forEach(n::put);
      io.out().println(Json.write(n));
    } else {
      io.out().println(info.keyArn() + ": " + result.get("change") + "; state " + info.state()
          + info.deletionDate().map(d -> ", deletion on " + d).orElse(""));
    }
  }

  static ObjectNode toJson(LocalKeyInfo k) {
    ObjectNode n = Json.object();
    n.put("keyArn", k.keyArn().toString());
    n.put("keyId", k.keyId());
    n.put("state", k.state().name());
    n.put("description", k.description());
    n.put("creationDate", k.creationDate().toString());
    k.deletionDate().ifPresent(d -> n.put("deletionDate", d.toString()));
    ArrayNode aliases = n.putArray("aliases");
    k.aliases().forEach(aliases::add);
    ArrayNode accounts = n.putArray("allowedAccounts");
    k.allowedAccounts().stream().map(AwsAccountId::value).sorted().forEach(accounts::add);
    ArrayNode deny = n.putArray("denyRules");
    for (ContextDenyRule r : k.denyRules()) {
      deny.addObject().put("key", r.key()).put("value", r.value());
    }
    return n;
  }
}
