package io.prophecy.sdk.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a server that, while armed, cuts the client's connection the
 * moment the server starts answering a push ({@code POST .../git-receive-pack}): the server has taken
 * the whole push, and the client never hears how it went. The next push goes through.
 */
final class CuttingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final AtomicBoolean armed = new AtomicBoolean();
  private final AtomicBoolean armedUpload = new AtomicBoolean();
  final AtomicInteger cuts = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  CuttingProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "cutting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Cuts the next push's answer. */
  void armOnce() {
    armed.set(true);
  }

  /** Cuts the next push half way: the server gets the request's headers and part of the pack, then nothing. */
  void armUploadOnce() {
    armedUpload.set(true);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(client);
        sockets.add(server);
        AtomicBoolean pushing = new AtomicBoolean();
        pump(client, server, pushing, true);
        pump(server, client, pushing, false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, AtomicBoolean pushing, boolean upstream) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (upstream) {
            String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            if (text.startsWith("POST ") && text.contains("git-receive-pack")) {
              pushing.set(true);
              if (armedUpload.compareAndSet(true, false)) {
                cuts.incrementAndGet();
                int headers = text.indexOf("\r\n\r\n");
                out.write(buf, 0, headers < 0 ? n / 2 : Math.min(n, headers + 4 + 8));
                out.flush();
                from.close();
                to.close();
                return;
              }
            }
          } else if (pushing.get() && armed.compareAndSet(true, false)) {
            cuts.incrementAndGet();
            // The server answered the push: drop both sides without passing the answer on.
            from.close();
            to.close();
            return;
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the other side closed
      } finally {
        try {
          to.close();
        } catch (IOException ignored) {
          // closing
        }
      }
    }, upstream ? "proxy-up" : "proxy-down");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
