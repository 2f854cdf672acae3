package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** {@link LogsPort} on the SDK's {@link CloudWatchLogsClient}. Thread-safe like the client. */
final class SdkLogs implements LogsPort {
  private final CloudWatchLogsClient logs;

  SdkLogs(CloudWatchLogsClient logs) {
    this.logs = logs;
  }

  @Override
  public List<LogGroupInfo> describeLogGroups(String namePrefix) {
    return Sdk.call(() -> {
      List<LogGroupInfo> out = new ArrayList<>();
      logs.describeLogGroups(r -> r.logGroupNamePrefix(namePrefix)).logGroups()
          .forEach(g -> out.add(new LogGroupInfo(g.logGroupName(), g.retentionInDays(), g.kmsKeyId())));
      return out;
    });
  }

  @Override
  public void createLogGroup(String name, Map<String, String> tags, @org.jspecify.annotations.Nullable String kmsKeyId) {
    Sdk.run(() -> logs.createLogGroup(r -> r.logGroupName(name).tags(tags.isEmpty() ? null : tags).kmsKeyId(kmsKeyId)));
  }

  @Override
  public void associateKmsKey(String name, String kmsKeyArn) {
    Sdk.run(() -> logs.associateKmsKey(r -> r.logGroupName(name).kmsKeyId(kmsKeyArn)));
  }

  @Override
  public void putRetentionPolicy(String name, int retentionInDays) {
    Sdk.run(() -> logs.putRetentionPolicy(r -> r.logGroupName(name).retentionInDays(retentionInDays)));
  }

  @Override
  public void deleteLogGroup(String name) {
    Sdk.run(() -> logs.deleteLogGroup(r -> r.logGroupName(name)));
  }
}
