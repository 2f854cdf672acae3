package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** CloudTrail in memory: trails with settings, tags, event and Insights selectors, logging status. */
public final class FakeCloudTrail extends FakeService implements CloudTrailPort {
  /** One trail, open to tests. */
  public static final class Trail {
    public TrailSettings settings;
    public final Map<String, String> tags;
    public List<EventSelector> eventSelectors = new ArrayList<>();
    public Set<String> insights = new LinkedHashSet<>();
    public boolean logging;

    Trail(TrailSettings settings, Map<String, String> tags) {
      this.settings = settings;
      this.tags = new LinkedHashMap<>(tags);
    }
  }

  private final FakeS3 s3;
  public final Map<String, Trail> trails = new LinkedHashMap<>();

  FakeCloudTrail(FakeS3 s3, Shared shared) {
    super("cloudtrail", shared);
    this.s3 = s3;
  }

  private Trail trail(String name) {
    Trail t = trails.get(name);
    if (t == null) {
      throw error("TrailNotFoundException", "Unknown trail: " + name);
    }
    return t;
  }

  @Override
  public Optional<TrailInfo> getTrail(String name) {
    call("GetTrail");
    return Optional.ofNullable(trails.get(name)).map(t -> new TrailInfo(name, t.settings.s3BucketName(), t.settings.kmsKeyId(),
        t.settings.multiRegion(), true));
  }

  @Override
  public void createTrail(TrailSettings settings, Map<String, String> tags) {
    call("CreateTrail");
    if (trails.containsKey(settings.name())) {
      throw error("TrailAlreadyExistsException", "Trail " + settings.name() + " already exists");
    }
    if (!s3.buckets.containsKey(settings.s3BucketName())) {
      throw error("S3BucketDoesNotExistException", "S3 bucket " + settings.s3BucketName() + " does not exist");
    }
    trails.put(settings.name(), new Trail(settings, tags));
  }

  @Override
  public void updateTrail(TrailSettings settings) {
    call("UpdateTrail");
    trail(settings.name()).settings = settings;
  }

  @Override
  public List<EventSelector> getEventSelectors(String trail) {
    call("GetEventSelectors");
    return List.copyOf(trail(trail).eventSelectors);
  }

  @Override
  public void putEventSelectors(String trail, List<EventSelector> selectors) {
    call("PutEventSelectors");
    trail(trail).eventSelectors = new ArrayList<>(selectors);
  }

  @Override
  public Set<String> getInsightSelectors(String trail) {
    call("GetInsightSelectors");
    return new LinkedHashSet<>(trail(trail).insights);
  }

  @Override
  public void putInsightSelectors(String trail, Set<String> insightTypes) {
    call("PutInsightSelectors");
    trail(trail).insights = new LinkedHashSet<>(insightTypes);
  }

  @Override
  public boolean isLogging(String trail) {
    call("GetTrailStatus");
    return trail(trail).logging;
  }

  @Override
  public void startLogging(String trail) {
    call("StartLogging");
    trail(trail).logging = true;
  }

  @Override
  public void deleteTrail(String name) {
    call("DeleteTrail");
    trail(name);
    trails.remove(name);
  }
}
