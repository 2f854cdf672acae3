package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** CloudWatch Logs in memory: log groups with tags and retention. */
public final class FakeLogs extends FakeService implements LogsPort {
  /** One log group, open to tests. */
  public static final class Group {
    public @Nullable Integer retentionInDays;
    public @Nullable String kmsKeyId;
    public final Map<String, String> tags;

    Group(Map<String, String> tags) {
      this.tags = new LinkedHashMap<>(tags);
    }
  }

  public final Map<String, Group> groups = new TreeMap<>();

  FakeLogs(Shared shared) {
    super("logs", shared);
  }

  @Override
  public List<LogGroupInfo> describeLogGroups(String namePrefix) {
    call("DescribeLogGroups");
    List<LogGroupInfo> out = new ArrayList<>();
    groups.forEach((n, g) -> {
      if (n.startsWith(namePrefix)) {
        out.add(new LogGroupInfo(n, g.retentionInDays, g.kmsKeyId));
      }
    });
    return out;
  }

  @Override
  public void createLogGroup(String name, Map<String, String> tags, @Nullable String kmsKeyId) {
    call("CreateLogGroup");
    if (groups.containsKey(name)) {
      throw error("ResourceAlreadyExistsException", "The specified log group already exists");
    }
    Group g = new Group(tags);
    g.kmsKeyId = kmsKeyId;
    groups.put(name, g);
  }

  @Override
  public void associateKmsKey(String name, String kmsKeyArn) {
    call("AssociateKmsKey");
    Group g = groups.get(name);
    if (g == null) {
      throw error("ResourceNotFoundException", "The specified log group does not exist.");
    }
    g.kmsKeyId = kmsKeyArn;
  }

  @Override
  public void putRetentionPolicy(String name, int retentionInDays) {
    call("PutRetentionPolicy");
    Group g = groups.get(name);
    if (g == null) {
      throw error("ResourceNotFoundException", "The specified log group does not exist.");
    }
    g.retentionInDays = retentionInDays;
  }

  @Override
  public void deleteLogGroup(String name) {
    call("DeleteLogGroup");
    if (groups.remove(name) == null) {
      throw error("ResourceNotFoundException", "The specified log group does not exist.");
    }
  }
}
