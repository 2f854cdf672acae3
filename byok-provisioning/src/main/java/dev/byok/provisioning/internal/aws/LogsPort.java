package dev.byok.provisioning.internal.aws;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The Amazon CloudWatch Logs calls provisioning makes. Failures throw {@link AwsCallException}. */
public interface LogsPort {
  /** A log group and its retention (null: never expire). */
  record LogGroupInfo(String name, @Nullable Integer retentionInDays, @Nullable String kmsKeyId) {}

  /** The log groups whose names start with {@code namePrefix} (the first page). */
  List<LogGroupInfo> describeLogGroups(String namePrefix);

  void createLogGroup(String name, Map<String, String> tags, @Nullable String kmsKeyId);

  /** Encrypts the group's new log events with the KMS key {@code kmsKeyArn}. */
  void associateKmsKey(String name, String kmsKeyArn);

  void putRetentionPolicy(String name, int retentionInDays);

  void deleteLogGroup(String name);
}
