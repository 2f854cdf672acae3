package dev.byok.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The audit benchmark's setup really delivers: run once outside JMH, without timing anything. */
class AuditSinkBenchmarkTest {

  @ParameterizedTest
  @ValueSource(strings = {"cloudwatch", "jsonl"})
  void burst_thenClose_everyEventDelivered(String sink) throws IOException {
    AuditSinkBenchmark bench = new AuditSinkBenchmark();
    bench.sink = sink;
    bench.setUp();
    bench.drain();
    bench.emit();
    bench.drain();
    bench.buildAndEmit();
    bench.tearDown(); // throws if any event was not delivered
    if (sink.equals("cloudwatch")) {
      assertTrue(bench.http.putLogEventsCalls() >= 2, "PutLogEvents calls: " + bench.http.putLogEventsCalls());
      // 2 bursts + the warm-up event, each event a JSON object of well over 100 bytes
      assertTrue(bench.http.putLogEventsBytes() > (2L * AuditSinkBenchmark.BURST + 1) * 100,
          "bytes: " + bench.http.putLogEventsBytes());
    }
  }

  @Test
  void setUp_unknownSink_namesIt() {
    AuditSinkBenchmark bench = new AuditSinkBenchmark();
    bench.sink = "kafka";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bench::setUp);
    assertEquals(true, e.getMessage().contains("'kafka'"), e.getMessage());
  }
}
