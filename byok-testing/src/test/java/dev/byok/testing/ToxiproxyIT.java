package dev.byok.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.testing.internal.ToolsLocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The toxiproxy launcher against a real server: a proxy forwards, a latency toxic delays, a disabled proxy refuses. */
class ToxiproxyIT {
  private static Toxiproxy toxi;
  private static ServerSocket echo;
  private static Thread echoThread;

  @BeforeAll
  static void start() throws Exception {
    toxi = Toxiproxy.start(ToolsLocator.locate(), Files.createTempDirectory("toxiproxy-it"), 42);
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    echoThread = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread t = new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              int b;
              while ((b = in.read()) >= 0) {
                out.write(b);
                out.flush();
              }
            } catch (IOException e) {
              // the client went away
            }
          });
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    echoThread.setDaemon(true);
    echoThread.start();
  }

  @AfterAll
  static void stop() throws IOException {
    echo.close();
    toxi.close();
  }

  private static long roundTripMillis(int port) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      long t0 = System.nanoTime();
      s.getOutputStream().write('x');
      s.getOutputStream().flush();
      int b = s.getInputStream().read();
      assertEquals('x', b, "the proxy forwards the byte and its echo");
      return (System.nanoTime() - t0) / 1_000_000;
    }
  }

  @Test
  void proxy_forwardsDelaysAndRefuses() throws Exception {
    Toxiproxy.Proxy p = toxi.proxy("echo", echo.getLocalPort());
    assertTrue(p.endpoint().toString().startsWith("http://127.0.0.1:"), p.endpoint().toString());
    assertTrue(roundTripMillis(p.listenPort()) < 1000);

    p.addToxic(Toxiproxy.Toxic.latency("slow", 400, 0));
    assertTrue(roundTripMillis(p.listenPort()) >= 400, "the latency toxic delays the answer");
    p.removeToxic("slow");
    assertTrue(roundTripMillis(p.listenPort()) < 400);

    p.enabled(false);
    assertThrows(IOException.class, () -> roundTripMillis(p.listenPort()), "a disabled proxy refuses connections");
    p.enabled(true);
    assertTrue(roundTripMillis(p.listenPort()) < 1000, "and takes them again once enabled");
  }

  @Test
  void proxy_sameNameTwice_failsNamingTheAnswer() {
    toxi.proxy("twice", echo.getLocalPort());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> toxi.proxy("twice", echo.getLocalPort()));
    assertTrue(e.getMessage().contains("409"), e.getMessage());
  }

  @Test
  void start_withoutBinary_namesTheInstallCommand() {
    Path empty = Path.of("/nonexistent-tools");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Toxiproxy.start(empty, empty, 1));
    assertTrue(e.getMessage().contains("./scripts/install-emulators"), e.getMessage());
  }
}
