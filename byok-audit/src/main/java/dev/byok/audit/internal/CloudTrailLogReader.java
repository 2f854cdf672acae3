package dev.byok.audit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams the records of one CloudTrail log file, {@code {"Records":[...]}}, gzip-compressed (as
 * CloudTrail delivers them to S3) or not, one record at a time: a file is never loaded whole.
 * Stateless and thread-safe.
 */
public final class CloudTrailLogReader {
  private static final int GZIP_MAGIC_0 = 0x1f;
  private static final int GZIP_MAGIC_1 = 0x8b;

  static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final ObjectReader RECORD = MAPPER.readerFor(CloudTrailRecord.class);
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private CloudTrailLogReader() {}

  /** Why a file could not be read as a CloudTrail log, after {@code recordsRead} of its records were read. */
  public static final class UnreadableLogException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long recordsRead;

    UnreadableLogException(String reason, long recordsRead, Throwable cause) {
      super(reason, cause);
      this.recordsRead = recordsRead;
    }

    /** How many records of the file were read (and delivered) before the problem. */
    public long recordsRead() {
      return recordsRead;
    }
  }

  /**
   * Reads every record of {@code in} into {@code sink}, in file order.
   *
   * @return how many records were read
   * @throws UnreadableLogException when the file is a corrupt gzip, not JSON, not of the form
   *     {@code {"Records":[...]}}, or holds a record that is not a JSON object of the documented shape
   * @throws IOException when reading the stream itself fails (the source's own I/O error)
   */
  public static long read(InputStream in, Consumer<CloudTrailRecord> sink) throws UnreadableLogException, IOException {
    InputStream data;
    try {
      data = maybeGunzip(in);
    } catch (ZipException | EOFException e) {
      throw new UnreadableLogException("corrupt gzip: " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getMessage()), 0, e);
    }
    boolean gzip = data instanceof GZIPInputStream;
    long n = 0;
    try (JsonParser p = FACTORY.createParser(data)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new UnreadableLogException("not a CloudTrail log file: expected a JSON object {\"Records\":[...]}, found "
            + (first == null ? "an empty file" : describe(first)), 0, null);
      }
      boolean sawRecords = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!"Records".equals(field)) {
          p.skipChildren();
          continue;
        }
        if (value != JsonToken.START_ARRAY) {
          throw new UnreadableLogException("not a CloudTrail log file: \"Records\" is " + describe(value)
              + ", not an array", 0, null);
        }
        sawRecords = true;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
          CloudTrailRecord r;
          try {
            r = RECORD.readValue(p);
          } catch (JsonProcessingException e) {
            throw new UnreadableLogException("record " + (n + 1) + " does not have CloudTrail's shape: "
                + e.getOriginalMessage(), n, e);
          }
          n++;
          sink.accept(r);
        }
        if (t != JsonToken.END_ARRAY) {
          throw new UnreadableLogException("record " + (n + 1) + " is " + describe(t) + ", not a JSON object", n, null);
        }
      }
      if (!sawRecords) {
        throw new UnreadableLogException("not a CloudTrail log file: a JSON object without a \"Records\" array", 0, null);
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new UnreadableLogException((gzip ? "" : "not a CloudTrail log file: ") + "not valid JSON after "
          + n + " records: " + e.getOriginalMessage(), n, e);
    } catch (ZipException | EOFException e) {
      throw new UnreadableLogException("corrupt gzip after " + n + " records: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), n, e);
    }
  }

  /** {@code in} itself, or a gunzipping stream over it when it starts with the gzip magic bytes. */
  public static InputStream maybeGunzip(InputStream in) throws IOException {
    BufferedInputStream b = new BufferedInputStream(in, 64 * 1024);
    b.mark(2);
    int m0 = b.read();
    int m1 = b.read();
    b.reset();
    if (m0 == GZIP_MAGIC_0 && m1 == GZIP_MAGIC_1) {
      return new GZIPInputStream(b, 64 * 1024);
    }
    return b;
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }
}
