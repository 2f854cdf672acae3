import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * The customer's side of docs/try-locally.md: prints every event of a CloudWatch Logs group, one
 * JSON line each (the vendor's byok audit events, docs/audit-events.md), then their count. What
 * {@code aws logs filter-log-events --log-group-name GROUP} shows, for machines without the AWS
 * CLI. The endpoint, region and credentials come from the environment, as in {@code VendorApp}.
 *
 * <pre>
 * java -cp byok-cli/target/byok.jar docs/examples/ShowEvents.java ACME_SLACK_SANDBOX_LOG_GROUP
 * </pre>
 */
public class ShowEvents {
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: ShowEvents LOG_GROUP");
      System.exit(2);
    }
    int n = 0;
    try (CloudWatchLogsClient logs = CloudWatchLogsClient.create()) {
      for (FilteredLogEvent e : logs.filterLogEventsPaginator(b -> b.logGroupName(args[0])).events()) {
        System.out.println(e.message());
        n++;
      }
    }
    System.out.println(n + " events in " + args[0]);
  }
}
