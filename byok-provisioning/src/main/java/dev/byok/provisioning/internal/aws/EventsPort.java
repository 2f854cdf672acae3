package dev.byok.provisioning.internal.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Amazon EventBridge calls provisioning makes: rules and targets on a bus (the customer's
 * default bus, or the vendor's own), and the vendor's bus with its resource policy. {@code bus} is
 * the bus name, {@code default} for the default bus. Failures throw {@link AwsCallException}.
 */
public interface EventsPort {
  /** The default event bus's name. */
  String DEFAULT_BUS = "default";

  /** A rule: its ARN, its event pattern (JSON text) and its state ({@code ENABLED} or {@code DISABLED}). */
  record RuleInfo(String name, String arn, @Nullable String eventPattern, String state) {}

  /**
   * A rule's target: its ID, ARN, the role EventBridge uses for it (null: none) and the input
   * transformer's paths and template (null: the event as it is).
   */
  record TargetInfo(String id, String arn, @Nullable String roleArn, @Nullable Map<String, String> inputPaths,
      @Nullable String inputTemplate) {}

  /** An event bus: its ARN and its resource policy (JSON text, null: none). */
  record BusInfo(String name, String arn, @Nullable String policy) {}

  /** Empty when there is no such rule on {@code bus}. */
  Optional<RuleInfo> describeRule(String bus, String name);

  /** Creates or replaces a rule (enabled) with an event pattern; returns its ARN. */
  String putRule(String bus, String name, String eventPattern, String description, Map<String, String> tags);

  /** The rule's targets. */
  List<TargetInfo> listTargets(String bus, String rule);

  /** Adds or replaces targets, by ID. */
  void putTargets(String bus, String rule, List<TargetInfo> targets);

  /** Removes targets by ID. */
  void removeTargets(String bus, String rule, List<String> ids);

  /** Deletes a rule (it must have no targets). */
  void deleteRule(String bus, String name);

  /** Empty when there is no such bus. */
  Optional<BusInfo> describeEventBus(String name);

  /** Creates a custom event bus; returns its ARN. */
  String createEventBus(String name, Map<String, String> tags);

  /** Replaces the bus's resource policy. */
  void putBusPolicy(String name, String policy);

  /** Deletes a custom event bus (it must have no rules). */
  void deleteEventBus(String name);
}
