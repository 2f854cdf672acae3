package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.InsightNotEnabledException;
import software.amazon.awssdk.services.cloudtrail.model.InsightSelector;
import software.amazon.awssdk.services.cloudtrail.model.Tag;
import software.amazon.awssdk.services.cloudtrail.model.Trail;
import software.amazon.awssdk.services.cloudtrail.model.TrailNotFoundException;

/** {@link CloudTrailPort} on the SDK's {@link CloudTrailClient}. Thread-safe like the client. */
final class SdkCloudTrail implements CloudTrailPort {
  private final CloudTrailClient cloudTrail;

  SdkCloudTrail(CloudTrailClient cloudTrail) {
    this.cloudTrail = cloudTrail;
  }

  @Override
  public Optional<TrailInfo> getTrail(String name) {
    return Sdk.call(() -> {
      try {
        Trail t = cloudTrail.getTrail(r -> r.name(name)).trail();
        return Optional.of(new TrailInfo(name, t.s3BucketName(), t.kmsKeyId(), t.isMultiRegionTrail(), t.logFileValidationEnabled()));
      } catch (TrailNotFoundException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public void createTrail(TrailSettings s, Map<String, String> tags) {
    List<Tag> list = new ArrayList<>();
    tags.forEach((k, v) -> list.add(Tag.builder().key(k).value(v).build()));
    Sdk.run(() -> cloudTrail.createTrail(r -> r.name(s.name()).s3BucketName(s.s3BucketName()).kmsKeyId(s.kmsKeyId())
        .isMultiRegionTrail(s.multiRegion()).includeGlobalServiceEvents(true).enableLogFileValidation(true)
        .tagsList(list.isEmpty() ? null : list)));
  }

  @Override
  public void updateTrail(TrailSettings s) {
    Sdk.run(() -> cloudTrail.updateTrail(r -> r.name(s.name()).s3BucketName(s.s3BucketName()).kmsKeyId(s.kmsKeyId())
        .isMultiRegionTrail(s.multiRegion()).includeGlobalServiceEvents(true).enableLogFileValidation(true)));
  }

  @Override
  public List<EventSelector> getEventSelectors(String trail) {
    return Sdk.call(() -> {
      List<EventSelector> out = new ArrayList<>();
      cloudTrail.getEventSelectors(r -> r.trailName(trail)).eventSelectors().forEach(s -> out.add(
          new EventSelector(String.valueOf(s.readWriteTypeAsString()), Boolean.TRUE.equals(s.includeManagementEvents()))));
      return out;
    });
  }

  @Override
  public void putEventSelectors(String trail, List<EventSelector> selectors) {
    List<software.amazon.awssdk.services.cloudtrail.model.EventSelector> sel = new ArrayList<>();
    selectors.forEach(s -> sel.add(software.amazon.awssdk.services.cloudtrail.model.EventSelector.builder()
        .readWriteType(s.readWriteType()).includeManagementEvents(s.includeManagementEvents()).build()));
    Sdk.run(() -> cloudTrail.putEventSelectors(r -> r.trailName(trail).eventSelectors(sel)));
  }

  @Override
  public Set<String> getInsightSelectors(String trail) {
    return Sdk.call(() -> {
      Set<String> have = new LinkedHashSet<>();
      try {
        cloudTrail.getInsightSelectors(r -> r.trailName(trail)).insightSelectors().forEach(s -> have.add(String.valueOf(s.insightTypeAsString())));
      } catch (InsightNotEnabledException e) {
        // none
      }
      return have;
    });
  }

  @Override
  public void putInsightSelectors(String trail, Set<String> insightTypes) {
    List<InsightSelector> sel = new ArrayList<>();
    insightTypes.forEach(t -> sel.add(InsightSelector.builder().insightType(t).build()));
    Sdk.run(() -> cloudTrail.putInsightSelectors(r -> r.trailName(trail).insightSelectors(sel)));
  }

  @Override
  public boolean isLogging(String trail) {
    return Sdk.call(() -> Boolean.TRUE.equals(cloudTrail.getTrailStatus(r -> r.name(trail)).isLogging()));
  }

  @Override
  public void startLogging(String trail) {
    Sdk.run(() -> cloudTrail.startLogging(r -> r.name(trail)));
  }

  @Override
  public void deleteTrail(String name) {
    Sdk.run(() -> cloudTrail.deleteTrail(r -> r.name(name)));
  }
}
