package dev.byok.audit.internal;

import dev.byok.audit.AuditInputException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The trail's S3 bucket, in CloudTrail's layout {@code PREFIX/AWSLogs/[ORG_ID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/}.
 * Accounts and regions are discovered by listing with a delimiter; with a window of at most
 * {@value #MAX_DAYS_LISTED_ONE_BY_ONE} days only its day folders (and a day either side) are
 * listed. A prefix that already reaches into {@code AWSLogs/} is listed as it is. Objects are
 * streamed one at a time. The client is the caller's: it is not closed here.
 */
public final class S3TrailInput implements TrailInput {
  static final int MAX_DAYS_LISTED_ONE_BY_ONE = 400;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd/");

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public S3TrailInput(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    String p = prefix == null ? "" : prefix;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
  }

  @Override
  public String description() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public void read(Instant from, Instant to, TrailSink sink) {
    if (prefix.contains("AWSLogs/")) {
      listAndRead(prefix, from, to, sink);
      return;
    }
    List<String> top = commonPrefixes(prefix + "AWSLogs/");
    if (top.isEmpty()) {
      throw new AuditInputException(description() + ": no CloudTrail logs: nothing under " + prefix
          + "AWSLogs/ (a trail writes AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ under its prefix)");
    }
    List<String> accounts = new ArrayList<>();
    for (String p : top) {
      String seg = lastSegment(p);
      if (seg.matches("\\d{12}")) {
        accounts.add(p);
      } else if (seg.startsWith("o-")) {
        for (String a : commonPrefixes(p)) {
          if (lastSegment(a).matches("\\d{12}")) {
            accounts.add(a);
          }
        }
      }
    }
    for (String account : accounts) {
      for (String region : commonPrefixes(account + "CloudTrail/")) {
        if (from != null && to != null
            && LogLayout.lastDay(to).toEpochDay() - LogLayout.firstDay(from).toEpochDay() < MAX_DAYS_LISTED_ONE_BY_ONE) {
          for (LocalDate d = LogLayout.firstDay(from); !d.isAfter(LogLayout.lastDay(to)); d = d.plusDays(1)) {
            listAndRead(region + DAY.format(d), from, to, sink);
          }
        } else {
          listAndRead(region, from, to, sink);
        }
      }
    }
  }

  private void listAndRead(String listPrefix, Instant from, Instant to, TrailSink sink) {
    String token = null;
    do {
      ListObjectsV2Response page = list(ListObjectsV2Request.builder().bucket(bucket).prefix(listPrefix)
          .continuationToken(token).build(), listPrefix);
      for (S3Object o : page.contents()) {
        String key = o.key();
        if (key.endsWith("/")) {
          continue;
        }
        Optional<LocalDate> day = LogLayout.day(key);
        if (day.isEmpty()) {
          sink.objectIgnored("s3://" + bucket + "/" + key);
        } else if (LogLayout.mayHold(day.get(), from, to)) {
          readObject(key, sink);
        }
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
  }

  private void readObject(String key, TrailSink sink) {
    String name = "s3://" + bucket + "/" + key;
    try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(key))) {
      long n = CloudTrailLogReader.read(in, sink::record);
      sink.fileRead(name, n);
    } catch (CloudTrailLogReader.UnreadableLogException e) {
      sink.fileSkipped(name, e.getMessage(), e.recordsRead());
    } catch (NoSuchKeyException e) {
      sink.fileSkipped(name, "the object was listed but is gone (NoSuchKey)", 0);
    } catch (S3Exception e) {
      throw error("reading " + key, e);
    } catch (SdkClientException e) {
      throw new AuditInputException(description() + ": cannot reach S3 while reading " + key + ": " + e.getMessage(), e, true);
    } catch (IOException e) {
      throw new AuditInputException(description() + ": reading " + key + " failed: " + e.getMessage(), e, true);
    }
  }

  private List<String> commonPrefixes(String p) {
    List<String> out = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Response page = list(ListObjectsV2Request.builder().bucket(bucket).prefix(p).delimiter("/")
          .continuationToken(token).build(), p);
      for (CommonPrefix c : page.commonPrefixes()) {
        out.add(c.prefix());
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return out;
  }

  private ListObjectsV2Response list(ListObjectsV2Request request, String listed) {
    try {
      return s3.listObjectsV2(request);
    } catch (S3Exception e) {
      throw error("listing " + (listed.isEmpty() ? "the bucket" : listed), e);
    } catch (SdkClientException e) {
      throw new AuditInputException(description() + ": cannot reach S3 while listing " + listed + ": " + e.getMessage(), e, true);
    }
  }

  private AuditInputException error(String what, S3Exception e) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String detail = " (" + (code == null ? "S3 error" : code) + ", HTTP " + status + ")";
    if (status == 403) {
      return new AuditInputException(description() + ": access denied while " + what + detail
          + ": reading a trail needs s3:ListBucket on arn:aws:s3:::" + bucket + ", s3:GetObject on its objects, and "
          + "kms:Decrypt on the trail's log key when the logs are SSE-KMS encrypted", e, false);
    }
    if ("NoSuchBucket".equals(code)) {
      return new AuditInputException(description() + ": bucket '" + bucket + "' does not exist" + detail, e, false);
    }
    return new AuditInputException(description() + ": S3 refused " + what + detail + ": "
        + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()), e,
        status >= 500 || status == 429 || "SlowDown".equals(code));
  }

  private static String lastSegment(String p) {
    String t = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    return t.substring(t.lastIndexOf('/') + 1);
  }
}
