package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.InputTransformer;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Tag;
import software.amazon.awssdk.services.eventbridge.model.Target;

/** {@link EventsPort} on the SDK's {@link EventBridgeClient}. Thread-safe like the client. */
final class SdkEvents implements EventsPort {
  private final EventBridgeClient events;

  SdkEvents(EventBridgeClient events) {
    this.events = events;
  }

  private static List<Tag> tags(Map<String, String> tags) {
    List<Tag> out = new ArrayList<>();
    tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
    return out;
  }

  @Override
  public Optional<RuleInfo> describeRule(String bus, String name) {
    return Sdk.call(() -> {
      try {
        DescribeRuleResponse r = events.describeRule(b -> b.eventBusName(bus).name(name));
        return Optional.of(new RuleInfo(r.name(), r.arn(), r.eventPattern(), r.stateAsString()));
      } catch (ResourceNotFoundException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public String putRule(String bus, String name, String eventPattern, String description, Map<String, String> tags) {
    List<Tag> t = tags(tags);
    return Sdk.call(() -> events.putRule(b -> b.eventBusName(bus).name(name).eventPattern(eventPattern).description(description)
        .state(RuleState.ENABLED).tags(t.isEmpty() ? null : t)).ruleArn());
  }

  @Override
  public List<TargetInfo> listTargets(String bus, String rule) {
    return Sdk.call(() -> {
      List<TargetInfo> out = new ArrayList<>();
      events.listTargetsByRule(b -> b.eventBusName(bus).rule(rule)).targets().forEach(t -> out.add(new TargetInfo(t.id(), t.arn(),
          t.roleArn(), t.inputTransformer() == null ? null : t.inputTransformer().inputPathsMap(),
          t.inputTransformer() == null ? null : t.inputTransformer().inputTemplate())));
      return out;
    });
  }

  @Override
  public void putTargets(String bus, String rule, List<TargetInfo> targets) {
    List<Target> ts = new ArrayList<>();
    for (TargetInfo t : targets) {
      Target.Builder b = Target.builder().id(t.id()).arn(t.arn()).roleArn(t.roleArn());
      if (t.inputTemplate() != null) {
        b.inputTransformer(InputTransformer.builder().inputPathsMap(t.inputPaths()).inputTemplate(t.inputTemplate()).build());
      }
      ts.add(b.build());
    }
    Sdk.run(() -> {
      PutTargetsResponse r = events.putTargets(b -> b.eventBusName(bus).rule(rule).targets(ts));
      if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
        var f = r.failedEntries().get(0);
        throw AwsCallException.service(String.valueOf(f.errorCode()), "PutTargets refused target " + f.targetId() + ": " + f.errorMessage());
      }
    });
  }

  @Override
  public void removeTargets(String bus, String rule, List<String> ids) {
    Sdk.run(() -> events.removeTargets(b -> b.eventBusName(bus).rule(rule).ids(ids)));
  }

  @Override
  public void deleteRule(String bus, String name) {
    Sdk.run(() -> events.deleteRule(b -> b.eventBusName(bus).name(name)));
  }

  @Override
  public Optional<BusInfo> describeEventBus(String name) {
    return Sdk.call(() -> {
      try {
        DescribeEventBusResponse r = events.describeEventBus(b -> b.name(name));
        return Optional.of(new BusInfo(r.name(), r.arn(), r.policy()));
      } catch (ResourceNotFoundException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public String createEventBus(String name, Map<String, String> tags) {
    List<Tag> t = tags(tags);
    return Sdk.call(() -> events.createEventBus(b -> b.name(name).tags(t.isEmpty() ? null : t)).eventBusArn());
  }

  @Override
  public void putBusPolicy(String name, String policy) {
    Sdk.run(() -> events.putPermission(b -> b.eventBusName(name).policy(policy)));
  }

  @Override
  public void deleteEventBus(String name) {
    Sdk.run(() -> events.deleteEventBus(b -> b.name(name)));
  }
}
