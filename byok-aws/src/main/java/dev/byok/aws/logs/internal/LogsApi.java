package dev.byok.aws.logs.internal;

import java.util.List;

/**
 * The few CloudWatch Logs calls the sink makes for one tenant, under that tenant's assumed role.
 * The seam between the delivery logic and the AWS SDK ({@link SdkLogsApi}); unit tests use an
 * in-process fake. Every method throws a classified {@link DeliveryFailure}. Called by one thread
 * at a time per tenant.
 */
public interface LogsApi extends AutoCloseable {

  /** Makes sure the role's credentials are at hand (assumes the role when they are missing or about to expire). */
  void ensureCredentials() throws DeliveryFailure;

  /** Creates the log group; one that exists already is fine. */
  void createLogGroup(String group) throws DeliveryFailure;

  /** Creates the log stream; one that exists already is fine. Fails with LOG_GROUP_MISSING when the group does not exist. */
  void createLogStream(String group, String stream) throws DeliveryFailure;

  /**
   * Sends one batch, already within every PutLogEvents limit and in chronological order.
   *
   * @return the events the service refused (too old, too new, expired), and whether the request
   *     was sent more than once (the SDK retried it, so the service may hold it twice)
   */
  PutResult putLogEvents(String group, String stream, List<LogRecord> batch) throws DeliveryFailure;

  @Override
  void close();

  /**
   * One log event as sent.
   *
   * @param timestampMillis the timestamp sent, in epoch milliseconds
   * @param message the JSON message
   */
  record LogRecord(long timestampMillis, String message) {}

  /**
   * A stored batch: indices of refused events, as PutLogEvents' {@code rejectedLogEventsInfo} gives them. The sink
   * treats each bound as inclusive (a superset), because AWS documents them as exclusive and moto
   * returns them inclusive; a re-sent boundary event may then appear twice, which is counted.
   */
  final class PutResult {
    /** Every event stored, the request sent once. */
    public static final PutResult STORED = new PutResult(null, null, null, false);
    private final Integer tooOldEndIndex;
    private final Integer tooNewStartIndex;
    private final Integer expiredEndIndex;
    private final boolean sentMoreThanOnce;

    /**
     * The service's answer.
     *
     * @param tooOldEndIndex the last index refused as too old, or {@code null}
     * @param tooNewStartIndex the first index refused as too new, or {@code null}
     * @param expiredEndIndex the last index refused as older than the group's retention, or {@code null}
     * @param sentMoreThanOnce whether the SDK sent the request more than once
     */
    public PutResult(Integer tooOldEndIndex, Integer tooNewStartIndex, Integer expiredEndIndex, boolean sentMoreThanOnce) {
      this.tooOldEndIndex = tooOldEndIndex;
      this.tooNewStartIndex = tooNewStartIndex;
      this.expiredEndIndex = expiredEndIndex;
      this.sentMoreThanOnce = sentMoreThanOnce;
    }

    /** Whether the SDK sent the request more than once (an earlier attempt may have been stored too). */
    public boolean sentMoreThanOnce() {
      return sentMoreThanOnce;
    }

    /** Whether no event was refused. */
    public boolean noneRejected() {
      return tooOldEndIndex == null && tooNewStartIndex == null && expiredEndIndex == null;
    }

    /** Whether the event at {@code index} of the batch may have been refused. */
    public boolean mayBeRejected(int index) {
      return (tooOldEndIndex != null && index <= tooOldEndIndex)
          || (expiredEndIndex != null && index <= expiredEndIndex)
          || (tooNewStartIndex != null && index >= tooNewStartIndex);
    }
  }
}
