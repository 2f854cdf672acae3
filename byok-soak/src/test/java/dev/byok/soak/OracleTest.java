package dev.byok.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OracleTest {
  // a disable of t01's key at t=10,000 (call sent at 9,990), restored at 20,000-20,050, bound 3,000 ms
  private static final Action DISABLE = new Action("t01", "disable", null, 9_990, 10_000, 20_000, 20_050, 3_000);

  private static OpRecord op(String tenant, String scope, long start, String outcome) {
    return new OpRecord(start, start + 5, 5_000_000, tenant, scope, "encrypt", 100, outcome);
  }

  private static Oracle oracle(Action a, OpRecord... ops) {
    Oracle o = new Oracle();
    if (a != null) {
      o.action(a);
    }
    for (OpRecord r : ops) {
      o.op(r);
    }
    return o;
  }

  @Test
  void judge_plaintextBeforeTheBound_isNoLeak_andSetsRevocationLatency() {
    Oracle.Judgement j = oracle(DISABLE, op("t01", "files", 12_000, "ok"), op("t01", "files", 13_500, "revoked")).judge();
    assertEquals(0, j.leaked());
    assertEquals(0, j.falseRevocations());
    assertEquals(2_005, j.revocationMaxMs());
  }

  @Test
  void judge_plaintextAfterTheBound_isALeak() {
    Oracle.Judgement j = oracle(DISABLE, op("t01", "files", 13_001, "ok")).judge();
    assertEquals(1, j.leaked());
    assertTrue(j.examples().get(0).startsWith("leak"), j.examples().toString());
  }

  @Test
  void judge_successAfterTheRestore_isNoLeak() {
    assertEquals(0, oracle(DISABLE, op("t01", "files", 20_000, "ok")).judge().leaked());
  }

  @Test
  void judge_refusalOfAnUntouchedTenant_isAFalseRevocation() {
    Oracle.Judgement j = oracle(DISABLE, op("t02", "files", 12_000, "revoked")).judge();
    assertEquals(1, j.falseRevocations());
  }

  @Test
  void judge_refusalWithNoActionAtAll_isAFalseRevocation() {
    assertEquals(1, oracle(null, op("t01", "files", 12_000, "revoked")).judge().falseRevocations());
  }

  @Test
  void judge_refusalsUntilAccessIsBack_areExcused_laterOnesAreNot() {
    Oracle.Judgement j = oracle(DISABLE, op("t01", "files", 20_100, "revoked"), op("t01", "files", 21_000, "ok"),
        op("t01", "files", 22_000, "revoked")).judge();
    assertEquals(1, j.falseRevocations());
    assertEquals(950, j.restoreMaxMs());
  }

  @Test
  void judge_scopedDeny_coversOnlyItsScope() {
    Action deny = new Action("local01", "deny-scope", "files", 9_990, 10_000, 20_000, 20_050, 3_000);
    Oracle.Judgement j = oracle(deny, op("local01", "files", 12_000, "revoked"), op("local01", "messages", 12_000, "revoked"),
        op("local01", "messages", 14_000, "ok"), op("local01", "files", 14_000, "ok")).judge();
    assertEquals(1, j.falseRevocations(), "the other scope must keep working");
    assertEquals(1, j.leaked(), "the denied scope must not");
  }

  @Test
  void judge_logRoleAction_excusesNoRefusal() {
    Action logRole = new Action("t01", "log-role", null, 9_990, 10_000, 20_000, 20_050, 0);
    assertEquals(1, oracle(logRole, op("t01", "files", 12_000, "revoked")).judge().falseRevocations());
  }

  @Test
  void judge_countsTransientMismatchAndOtherErrors() {
    Oracle.Judgement j = oracle(null, op("t01", "files", 1, "unavailable"), op("t01", "files", 2, "mismatch"),
        op("t01", "files", 3, "error:IllegalStateException")).judge();
    assertEquals(1, j.transientErrors());
    assertEquals(1, j.mismatches());
    assertEquals(1, j.errors());
  }

  @Test
  void longestCallInFlight_onlyCallsOfTheKeyAcrossT() {
    Oracle o = new Oracle();
    o.kms(new Oracle.KmsCall(100, 900, "k1"));
    o.kms(new Oracle.KmsCall(400, 600, "k1"));
    o.kms(new Oracle.KmsCall(0, 5000, "k2"));
    o.kms(new Oracle.KmsCall(0, 450, "k1"));
    assertEquals(800, o.longestCallInFlight(Set.of("k1"), 500));
    assertEquals(0, o.longestCallInFlight(Set.of("k1"), 1000));
  }

  @Test
  void p99_ofAHundredDurations_isTheNinetyNinth() {
    List<OpRecord> ops = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      ops.add(new OpRecord(0, 0, i, "t", "s", "encrypt", 1, "ok"));
    }
    assertEquals(99, Oracle.p99Nanos(ops));
    assertEquals(0, Oracle.p99Nanos(List.of()));
  }
}
