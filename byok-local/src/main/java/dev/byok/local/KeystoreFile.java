package dev.byok.local;

import dev.byok.core.keys.KeyState;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.ByokException;
import dev.byok.core.internal.Strings;
import dev.byok.core.KeyArn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the JSON keystore file of a {@link LocalKeyService}. Writes are atomic (a
 * temporary file in the same folder, forced to disk, then renamed over the old file) and, where the
 * file system is POSIX, owner-only ({@code rw-------}). Reads validate everything and fail with a
 * {@link ByokException} naming the file and the problem; a failed read changes nothing. Error
 * messages never contain key material. Package-private.
 *
 * <pre>
 * {"format":"byok-local-keystore","version":1,"warning":"...",
 *  "partition":"aws","region":"us-east-1","ownerAccount":"111122223333","keyNamespace":"byok-local",
 *  "keys":[{"keyArn":"arn:aws:kms:...:key/UUID","description":"...","creationDate":"2025-...Z",
 *           "state":"Enabled","deletionDate":null,"keyMaterial":"BASE64 (32 bytes)",
 *           "aliases":["alias/x"],"allowedAccounts":["444455556666"],
 *           "denyRules":[{"key":"tenant","value":"acme"}]}]}
 * </pre>
 */
final class KeystoreFile {
  static final String FORMAT = "byok-local-keystore";
  static final int VERSION = 1;
  static final String WARNING = "Development and test keystore of byok's LocalKeyService. The key material "
      + "below is stored in plaintext: anyone who can read this file can decrypt the data. Not for production.";
  static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private static final Logger LOG = LoggerFactory.getLogger(KeystoreFile.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The service-wide settings stored in the file. */
  record Header(String partition, String region, AwsAccountId ownerAccount, String keyNamespace) {}

  /** What a read found. */
  record Contents(Header header, List<LocalKey> keys) {}

  private KeystoreFile() {}

  /** Reads {@code file}; {@code null} if it does not exist. */
  static Contents read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new ByokException("keystore file '" + file + "': cannot be read: " + e, e);
    }
    warnIfReadableByOthers(file);
    return parse(file, bytes);
  }

  static Contents parse(Path file, byte[] bytes) {
    Reader r = new Reader(file);
    if (bytes.length == 0) {
      throw r.fail("the file is empty (truncated?)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      // The parser's own message may quote file content (key material), so it is not passed on.
      JsonLocation loc = e.getLocation();
      String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      String what = e instanceof JsonEOFException ? "ends in the middle of the JSON document (truncated?)"
          : "is not valid JSON (corrupt or truncated?)";
      throw r.fail(what + where);
    } catch (IOException e) {
      throw r.fail("cannot be parsed: " + e.getClass().getSimpleName());
    }
    if (root == null || !root.isObject()) {
      throw r.fail("expected a JSON object at the top level");
    }
    String format = r.text(root, "format", "the file");
    if (!FORMAT.equals(format)) {
      throw r.fail("field 'format' is '" + format + "', expected '" + FORMAT + "'");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt() || version.intValue() != VERSION) {
      throw r.fail("field 'version' is " + version + ", this library reads version " + VERSION);
    }
    String partition = r.text(root, "partition", "the file");
    if (!KeyArn.PARTITIONS.contains(partition)) {
      throw r.fail("field 'partition': unknown partition '" + partition + "'");
    }
    String region = r.text(root, "region", "the file");
    AwsAccountId owner = r.account(r.text(root, "ownerAccount", "the file"), "field 'ownerAccount'");
    String namespace = r.text(root, "keyNamespace", "the file");
    try {
      LocalKeyService.checkKeyNamespace(namespace);
      LocalKeyService.checkRegion(partition, region);
    } catch (IllegalArgumentException e) {
      throw r.fail(e.getMessage());
    }
    Header header = new Header(partition, region, owner, namespace);
    JsonNode keys = root.get("keys");
    if (keys == null || !keys.isArray()) {
      throw r.fail("missing field 'keys' (an array)");
    }
    List<LocalKey> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> aliases = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      LocalKey k = readKey(r, header, keys.get(i), "keys[" + i + "]");
      if (!ids.add(k.keyId())) {
        throw r.fail("keys[" + i + "]: key " + k.arnText + " appears twice");
      }
      for (String a : k.aliases) {
        if (!aliases.add(a)) {
          throw r.fail("keys[" + i + "]: alias '" + a + "' is used by two keys");
        }
      }
      out.add(k);
    }
    return new Contents(header, out);
  }

  private static LocalKey readKey(Reader r, Header h, JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw r.fail(where + ": expected a JSON object");
    }
    String arnText = r.text(n, "keyArn", where);
    KeyArn arn;
    try {
      arn = KeyArn.parse(arnText);
    } catch (IllegalArgumentException e) {
      throw r.fail(where + ": field 'keyArn': " + e.getMessage());
    }
    if (arn.resourceType() != KeyArn.ResourceType.KEY || !arn.partition().equals(h.partition())
        || !arn.region().equals(h.region()) || !arn.account().equals(h.ownerAccount())) {
      throw r.fail(where + ": field 'keyArn' '" + arnText + "' is not a key ARN in partition " + h.partition()
          + ", region " + h.region() + " and account " + h.ownerAccount() + " of this keystore");
    }
    String description = r.text(n, "description", where);
    Instant created = r.instant(r.text(n, "creationDate", where), where + ": field 'creationDate'");
    String stateText = r.text(n, "state", where);
    KeyState state = stateFromText(stateText);
    if (state == null) {
      throw r.fail(where + ": field 'state' is '" + stateText + "', expected Enabled, Disabled or PendingDeletion");
    }
    JsonNode del = n.get("deletionDate");
    Instant deletionDate = null;
    if (del != null && !del.isNull()) {
      if (!del.isTextual()) {
        throw r.fail(where + ": field 'deletionDate' must be a string");
      }
      deletionDate = r.instant(del.asText(), where + ": field 'deletionDate'");
    }
    if ((state == KeyState.PENDING_DELETION) != (deletionDate != null)) {
      throw r.fail(where + ": field 'deletionDate' must be set exactly when the state is PendingDeletion");
    }
    JsonNode material = n.get("keyMaterial");
    if (material == null || material.isNull()) {
      throw r.fail(where + ": missing field 'keyMaterial'");
    }
    byte[] keyBytes;
    try {
      keyBytes = Base64.getDecoder().decode(material.isTextual() ? material.asText() : "!");
    } catch (IllegalArgumentException e) {
      throw r.fail(where + ": field 'keyMaterial' is not valid base64");
    }
    if (keyBytes.length != LocalKeyService.MASTER_KEY_LENGTH_IN_BYTES) {
      int length = keyBytes.length;
      Arrays.fill(keyBytes, (byte) 0);
      throw r.fail(where + ": field 'keyMaterial' must be " + LocalKeyService.MASTER_KEY_LENGTH_IN_BYTES
          + " bytes (AES-256), got " + length);
    }
    SecretKeySpec key = new SecretKeySpec(keyBytes, "AES");
    Arrays.fill(keyBytes, (byte) 0);
    List<String> aliases = new ArrayList<>();
    for (String a : r.strings(n, "aliases", where)) {
      try {
        aliases.add(LocalKeyService.normalizeAlias(h.partition(), h.region(), h.ownerAccount(), a));
      } catch (IllegalArgumentException e) {
        throw r.fail(where + ": field 'aliases': " + e.getMessage());
      }
    }
    Set<AwsAccountId> accounts = new TreeSet<>();
    for (String a : r.strings(n, "allowedAccounts", where)) {
      accounts.add(r.account(a, where + ": field 'allowedAccounts'"));
    }
    List<ContextDenyRule> rules = new ArrayList<>();
    JsonNode denyRules = n.get("denyRules");
    if (denyRules == null || !denyRules.isArray()) {
      throw r.fail(where + ": missing field 'denyRules' (an array)");
    }
    for (int i = 0; i < denyRules.size(); i++) {
      String w = where + ": denyRules[" + i + "]";
      JsonNode rule = denyRules.get(i);
      if (!rule.isObject()) {
        throw r.fail(w + ": expected an object with 'key' and 'value'");
      }
      try {
        rules.add(ContextDenyRule.of(r.text(rule, "key", w), r.text(rule, "value", w)));
      } catch (IllegalArgumentException e) {
        throw r.fail(w + ": " + e.getMessage());
      }
    }
    return new LocalKey(arn, description, created, state, deletionDate, key, aliases, accounts,
        new ArrayList<>(new LinkedHashSet<>(rules)));
  }

  /**
   * Writes {@code keys} to {@code file} atomically, owner-only where POSIX permissions exist.
   *
   * @throws ByokException naming the file if it cannot be written; the old file is then unchanged
   */
  static void write(Path file, Header h, Iterable<LocalKey> keys) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("warning", WARNING);
    root.put("partition", h.partition());
    root.put("region", h.region());
    root.put("ownerAccount", h.ownerAccount().value());
    root.put("keyNamespace", h.keyNamespace());
    ArrayNode arr = root.putArray("keys");
    Base64.Encoder b64 = Base64.getEncoder();
    for (LocalKey k : keys) {
      ObjectNode n = arr.addObject();
      n.put("keyArn", k.arnText);
      n.put("description", k.description);
      n.put("creationDate", k.creationDate.toString());
      n.put("state", stateToText(k.state));
      if (k.deletionDate == null) {
        n.putNull("deletionDate");
      } else {
        n.put("deletionDate", k.deletionDate.toString());
      }
      byte[] material = k.wrappingKey.getEncoded();
      n.put("keyMaterial", b64.encodeToString(material));
      Arrays.fill(material, (byte) 0);
      ArrayNode aliases = n.putArray("aliases");
      k.aliases.forEach(aliases::add);
      ArrayNode accounts = n.putArray("allowedAccounts");
      k.allowedAccounts.forEach(a -> accounts.add(a.value()));
      ArrayNode rules = n.putArray("denyRules");
      for (ContextDenyRule rule : k.denyRules) {
        rules.addObject().put("key", rule.key()).put("value", rule.value());
      }
    }
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new ByokException("keystore file '" + file + "': could not be serialized", e);
    }
    writeAtomically(file, bytes);
    Arrays.fill(bytes, (byte) 0);
  }

  private static void writeAtomically(Path file, byte[] bytes) {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
      String prefix = "." + abs.getFileName() + ".";
      tmp = posix
          ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
          : Files.createTempFile(dir, prefix, ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new ByokException("keystore file '" + file + "': could not be written (the previous file, if any, "
          + "is unchanged): " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          LOG.warn("could not delete temporary keystore file {}: {}", tmp, e.toString());
        }
      }
    }
  }

  private static void warnIfReadableByOthers(Path file) {
    try {
      if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(perms)) {
          LOG.warn("keystore file {} has permissions {}; it holds plaintext key material and should be rw------- "
              + "(it becomes rw------- on the next change)", file, PosixFilePermissions.toString(perms));
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("could not check the permissions of {}: {}", file, e.toString());
    }
  }

  static String stateToText(KeyState s) {
    switch (s) {
      case ENABLED: return "Enabled";
      case DISABLED: return "Disabled";
      case PENDING_DELETION: return "PendingDeletion";
      default: throw new IllegalArgumentException("local keys are never in state " + s);
    }
  }

  static KeyState stateFromText(String s) {
    switch (s) {
      case "Enabled": return KeyState.ENABLED;
      case "Disabled": return KeyState.DISABLED;
      case "PendingDeletion": return KeyState.PENDING_DELETION;
      default: return null;
    }
  }

  /** Field readers that fail with the file name and the field. */
  private static final class Reader {
    private final Path file;

    Reader(Path file) {
      this.file = file;
    }

    ByokException fail(String what) {
      return new ByokException("keystore file '" + file + "' is not a valid keystore: " + Strings.oneLine(what)
          + "; the file was not changed");
    }

    String text(JsonNode n, String field, String where) {
      JsonNode v = n.get(field);
      if (v == null || v.isNull()) {
        throw fail(where + ": missing field '" + field + "'");
      }
      if (!v.isTextual()) {
        throw fail(where + ": field '" + field + "' must be a string");
      }
      return v.asText();
    }

    List<String> strings(JsonNode n, String field, String where) {
      JsonNode v = n.get(field);
      if (v == null || !v.isArray()) {
        throw fail(where + ": missing field '" + field + "' (an array of strings)");
      }
      List<String> out = new ArrayList<>();
      for (JsonNode e : v) {
        if (!e.isTextual()) {
          throw fail(where + ": field '" + field + "' must hold only strings");
        }
        out.add(e.asText());
      }
      return out;
    }

    AwsAccountId account(String v, String where) {
      try {
        return AwsAccountId.of(v);
      } catch (IllegalArgumentException e) {
        throw fail(where + ": " + e.getMessage());
      }
    }

    Instant instant(String v, String where) {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw fail(where + " is not an ISO-8601 instant such as 2025-01-31T12:00:00Z: '" + v + "'");
      }
    }
  }
}
