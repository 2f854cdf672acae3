package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VendorProfileTest {
  static List<String> builtIn() {
    return VendorProfile.BUILT_IN;
  }

  @ParameterizedTest
  @MethodSource("builtIn")
  void builtIn_everyProfile_loadsWithLeastPrivilegeActionsAndNotes(String name) {
    VendorProfile p = VendorProfile.builtIn(name);
    assertEquals(name, p.name());
    assertFalse(p.actions().contains("kms:*"));
    assertTrue(p.actions().contains("kms:Decrypt"), p.actions().toString());
    assertFalse(p.notes().isEmpty());
    for (String note : p.notes()) {
      assertFalse(note.matches(".*\\b[0-9]{12}\\b.*"), "no vendor account ID is built in: " + note);
    }
  }

  @Test
  void builtIn_unknownName_listsTheBuiltInOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VendorProfile.builtIn("dropbox"));
    assertTrue(e.getMessage().contains("slack"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"kms:*", "*", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"})
  void create_administrativeOrWildcardAction_rejected(String action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VendorProfile.create("x", "X", List.of("kms:Decrypt", action), true, List.of()));
    assertTrue(e.getMessage().contains(action), e.getMessage());
  }

  @Test
  void fromJson_customProfile_read() {
    VendorProfile p = VendorProfile.fromJson("{\"name\":\"acme-saas\",\"displayName\":\"Acme SaaS\",\"actions\":[\"kms:Encrypt\",\"kms:Decrypt\"],"
        + "\"logsViaRole\":false,\"notes\":[]}");
    assertEquals(List.of("kms:Encrypt", "kms:Decrypt"), p.actions());
    assertFalse(p.logsViaRole());
  }

  @Test
  void fromJson_missingLogsViaRole_rejected() {
    assertThrows(IllegalArgumentException.class, () -> VendorProfile.fromJson("{\"name\":\"x\",\"displayName\":\"X\",\"actions\":[\"kms:Decrypt\"]}"));
  }
}
