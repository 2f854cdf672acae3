package dev.byok.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/** Proves the harness's moto for CloudWatch Logs: events written are read back in order. */
@WithEmulators
class MotoLogsSmokeIT {

  @Test
  void putLogEventsThenGetLogEvents_roundTrip_returnsEventsInOrder(Emulators emu) {
    String group = "/byok/audit";
    String stream = "vendor-a";
    long now = Instant.now().toEpochMilli();
    try (CloudWatchLogsClient logs = emu.moto(CloudWatchLogsClient.builder()).build()) {
      logs.createLogGroup(b -> b.logGroupName(group));
      logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
      logs.putLogEvents(
          b ->
              b.logGroupName(group)
                  .logStreamName(stream)
                  .logEvents(
                      InputLogEvent.builder().timestamp(now).message("{\"op\":\"Decrypt\"}").build(),
                      InputLogEvent.builder().timestamp(now + 1).message("{\"op\":\"Encrypt\"}").build()));

      List<OutputLogEvent> events =
          logs.getLogEvents(b -> b.logGroupName(group).logStreamName(stream).startFromHead(true))
              .events();

      assertEquals(
          List.of("{\"op\":\"Decrypt\"}", "{\"op\":\"Encrypt\"}"),
          events.stream().map(OutputLogEvent::message).toList());
      assertEquals(now, events.get(0).timestamp());
    }
  }
}
