package dev.byok.crypto.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pooled message-ID randomness: every draw is fresh, ranges are respected, large draws work. */
class RandomnessTest {

  @Test
  void nextBytes_manyMessageIdsAcrossPoolRefills_allDistinctAndNonZero() {
    Set<ByteBuffer> seen = new HashSet<>();
    int draws = Randomness.POOL_BYTES / 32 * 5 + 3; // several refills, ending mid-pool
    for (int i = 0; i < draws; i++) {
      byte[] id = new byte[32];
      Randomness.nextBytes(id, 0, id.length);
      assertFalse(Arrays.equals(new byte[32], id), "draw " + i + " is all zero");
      assertTrue(seen.add(ByteBuffer.wrap(id)), "draw " + i + " repeats an earlier one");
    }
  }

  @Test
  void nextBytes_unevenLengthsAndOffsets_writeOnlyTheirRange() {
    for (int length : new int[] {1, 7, 32, 63, 64, 65, Randomness.POOL_BYTES, Randomness.POOL_BYTES * 3 + 1}) {
      byte[] b = new byte[length + 20];
      Arrays.fill(b, (byte) 0x5A);
      Randomness.nextBytes(b, 10, length);
      for (int i = 0; i < 10; i++) {
        assertEquals(0x5A, b[i], "byte before the range, length " + length);
        assertEquals(0x5A, b[b.length - 1 - i], "byte after the range, length " + length);
      }
      if (length >= 16) {
        byte[] range = Arrays.copyOfRange(b, 10, 10 + length);
        byte[] filler = new byte[length];
        Arrays.fill(filler, (byte) 0x5A);
        assertFalse(Arrays.equals(filler, range), "range untouched, length " + length);
      }
    }
  }
}
