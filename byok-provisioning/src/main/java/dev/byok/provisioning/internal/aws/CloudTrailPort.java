package dev.byok.provisioning.internal.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The AWS CloudTrail calls provisioning makes. Failures throw {@link AwsCallException}. */
public interface CloudTrailPort {
  /** The Insights types apply turns on. */
  String API_CALL_RATE_INSIGHT = "ApiCallRateInsight";
  String API_ERROR_RATE_INSIGHT = "ApiErrorRateInsight";

  /** What GetTrail says of a trail. */
  record TrailInfo(String name, @Nullable String s3BucketName, @Nullable String kmsKeyId, @Nullable Boolean multiRegion,
      @Nullable Boolean logFileValidation) {}

  /**
   * The settings apply writes; every trail it makes also includes global service events and has log
   * file validation on.
   */
  record TrailSettings(String name, String s3BucketName, String kmsKeyId, boolean multiRegion) {}

  /** One event selector; {@code readWriteType} is the AWS string ({@code All}, {@code ReadOnly}, {@code WriteOnly}). */
  record EventSelector(String readWriteType, boolean includeManagementEvents) {
    /** Read and write events. */
    public static final String ALL = "All";
  }

  /** Empty when there is no such trail. */
  Optional<TrailInfo> getTrail(String name);

  void createTrail(TrailSettings settings, Map<String, String> tags);

  void updateTrail(TrailSettings settings);

  List<EventSelector> getEventSelectors(String trail);

  void putEventSelectors(String trail, List<EventSelector> selectors);

  /** The Insights types selected; empty when Insights is off. */
  Set<String> getInsightSelectors(String trail);

  void putInsightSelectors(String trail, Set<String> insightTypes);

  boolean isLogging(String trail);

  void startLogging(String trail);

  void deleteTrail(String name);
}
