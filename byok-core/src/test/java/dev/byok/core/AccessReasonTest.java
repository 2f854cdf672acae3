package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessReasonTest {

  @Test
  void of_codeOnly_hasNoDetailOrActor() {
    AccessReason r = AccessReason.of(ReasonCode.USER_REQUEST);
    assertEquals(ReasonCode.USER_REQUEST, r.code());
    assertEquals(Optional.empty(), r.detail());
    assertEquals(Optional.empty(), r.actor());
    assertEquals("AccessReason{USER_REQUEST}", r.toString());
  }

  @Test
  void of_allParts_kept() {
    AccessReason r = AccessReason.of(ReasonCode.VENDOR_SUPPORT_ACCESS, "ticket 4711", "support:jdoe");
    assertEquals(Optional.of("ticket 4711"), r.detail());
    assertEquals(Optional.of("support:jdoe"), r.actor());
    assertEquals("AccessReason{VENDOR_SUPPORT_ACCESS, detail=ticket 4711, actor=support:jdoe}", r.toString());
  }

  @Test
  void of_detailAtLimit_acceptedOneByteMore_rejected() {
    assertEquals(1024, AccessReason.of(ReasonCode.USER_REQUEST, "d".repeat(1024), null).detail().get().length());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AccessReason.of(ReasonCode.USER_REQUEST, "d".repeat(1025), null));
    assertTrue(e.getMessage().contains("detail is 1025 bytes of UTF-8, more than the limit of 1024"), e.getMessage());
  }

  @Test
  void of_detailLimitCountsUtf8Bytes() {
    assertTrue(AccessReason.of(ReasonCode.USER_REQUEST, "é".repeat(512), null).detail().isPresent());
    assertThrows(IllegalArgumentException.class, () -> AccessReason.of(ReasonCode.USER_REQUEST, "é".repeat(513), null));
  }

  @Test
  void of_actorOverLimit_rejected() {
    assertTrue(AccessReason.of(ReasonCode.USER_REQUEST, null, "a".repeat(256)).actor().isPresent());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AccessReason.of(ReasonCode.USER_REQUEST, null, "a".repeat(257)));
    assertTrue(e.getMessage().contains("actor is 257 bytes"), e.getMessage());
  }

  @Test
  void of_nullCode_rejected() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> AccessReason.of(null));
    assertTrue(e.getMessage().contains("reason code"));
  }

  @Test
  void equalsAndHashCode_byAllParts() {
    AccessReason a = AccessReason.of(ReasonCode.DATA_EXPORT, "x", "y");
    assertEquals(a, AccessReason.of(ReasonCode.DATA_EXPORT, "x", "y"));
    assertEquals(a.hashCode(), AccessReason.of(ReasonCode.DATA_EXPORT, "x", "y").hashCode());
    assertNotEquals(a, AccessReason.of(ReasonCode.DATA_EXPORT, "x", null));
    assertNotEquals(a, AccessReason.of(ReasonCode.DATA_EXPORT, null, "y"));
    assertNotEquals(a, AccessReason.of(ReasonCode.BACKUP_RESTORE, "x", "y"));
    assertFalse(a.equals("DATA_EXPORT"));
  }
}
