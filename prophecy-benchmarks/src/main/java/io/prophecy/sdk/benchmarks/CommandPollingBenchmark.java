package io.prophecy.sdk.benchmarks;

import io.prophecy.sdk.benchmarks.SimulatedCommandApi.SimulatedClock;
import io.prophecy.sdk.databricks.internal.DatabricksAuth;
import io.prophecy.sdk.databricks.internal.DatabricksFabricConnection;
import io.prophecy.sdk.databricks.internal.DatabricksSettings;
import io.prophecy.sdk.databricks.internal.Platform;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.SessionOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockWebServer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Polling a Databricks command until it ends: the connector's adaptive polling
 * ({@link Execution#await}) beside plain one-second polling ({@link Execution#status} once a second), on
 * one session against a MockWebServer that plays the Command API 1.2 ({@link SimulatedCommandApi}).
 *
 * <p>Each operation runs one command of {@code duration} to its end. Durations are simulated: the
 * connector's sleeper moves a shared clock on instead of sleeping, so a five-minute command costs only its
 * HTTP calls in real time. Per operation the benchmark records, in the {@link Figures} counters, the
 * status reads the command took and how late, in simulated time, its end was seen; JMH sums each counter
 * over an iteration, so per command is a counter divided by {@code commands}. The primary score is the real
 * time of one command: the client's work plus the mock server's (which runs on the other core while the
 * client waits); {@code clientCpuMicros} is the benchmark thread's CPU time alone (OkHttp makes its calls
 * on the calling thread).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CommandPollingBenchmark {
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);
  private static final Duration NO_END = Duration.ofDays(1);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** How long each command runs, in simulated time; {@code PT0S} finishes at once. */
  @Param({"PT0S", "PT0.1S", "PT2S", "PT30S", "PT5M"})
  public String duration;

  private SimulatedClock clock;
  private MockWebServer server;
  private SimulatedCommandApi api;
  private DatabricksFabricConnection connection;
  private ExecutionSession session;
  private Duration length;
  private CodeUnit code;

  /** What the commands of one iteration took; JMH prints each as a secondary result, summed. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Figures {
    /** Commands run to their end. */
    public long commands;
    /** {@code commands/status} reads. */
    public long polls;
    /** Simulated milliseconds between each command's end and the read that saw it, summed. */
    public double lateMillis;
    /** The benchmark thread's CPU time, in microseconds, summed. */
    public double clientCpuMicros;

    @Setup(Level.Iteration)
    public void clear() {
      commands = 0;
      polls = 0;
      lateMillis = 0;
      clientCpuMicros = 0;
    }
  }

  /** Starts the simulated workspace and opens one Python session on it. */
  @Setup(Level.Trial)
  public void open() throws IOException {
    length = Duration.parse(duration);
    clock = new SimulatedClock();
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String token = "dapi" + HexFormat.of().formatHex(random);
    api = new SimulatedCommandApi(clock, token);
    server = new MockWebServer();
    server.setServerSocketFactory(new NoDelayServerSockets());
    server.setDispatcher(api);
    server.start();
    DatabricksSettings settings = DatabricksSettings.defaults(server.url("/"))
        .withClusterId(SimulatedCommandApi.CLUSTER);
    Platform platform = new Platform(clock::sleep, new Platform.ShutdownHooks() {
      @Override
      public void add(Thread hook) {}

      @Override
      public boolean remove(Thread hook) {
        return true;
      }
    });
    Clock sessionClock = clock;
    ConnectorContext context = new ConnectorContext() {
      @Override
      public String userAgent() {
        return "prophecy-benchmarks";
      }

      @Override
      public Path workDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
      }

      @Override
      public String userEmail() {
        return "bench@example.com";
      }

      @Override
      public Clock clock() {
        return sessionClock;
      }
    };
    connection = DatabricksFabricConnection.open(settings, new DatabricksAuth.PersonalAccessToken(Secret.of(token)),
        context, platform);
    session = connection.openSession(SessionOptions.of(CodeLanguage.python()));
    code = new CodeUnit("simulated", CodeLanguage.python(), SimulatedCommandApi.PREFIX + duration);
  }

  /** MockWebServer keeps every request it served; dropped between iterations so memory stays flat. */
  @TearDown(Level.Iteration)
  public void dropRecordedRequests() throws InterruptedException {
    while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
      // dropped
    }
  }

  /** Closes the session (destroying its context) and fails the run if the workspace saw a wrong request. */
  @TearDown(Level.Trial)
  public void close() {
    try {
      session.close();
      connection.close();
    } finally {
      server.close();
    }
    if (!api.problems.isEmpty() || api.running() != 0) {
      throw new IllegalStateException("the simulated workspace saw wrong requests or unfinished commands ("
          + api.running() + "): " + api.problems);
    }
  }

  /** The connector's polling: {@code submit}, then {@code await}. */
  @Benchmark
  public ExecutionResult adaptive(Figures figures) throws InterruptedException {
    long cpu = THREADS.getCurrentThreadCpuTime();
    long reads = api.statusReads();
    long end = clock.nanos() + length.toNanos();
    ExecutionResult result = session.submit(code).await(NO_END);
    return record(figures, result, end, reads, cpu);
  }

  /** Baseline: {@code submit}, then one status read a second until the command has ended. */
  @Benchmark
  public ExecutionResult fixedOneSecond(Figures figures) throws InterruptedException {
    long cpu = THREADS.getCurrentThreadCpuTime();
    long reads = api.statusReads();
    long end = clock.nanos() + length.toNanos();
    Execution run = session.submit(code);
    while (!run.status().isFinal()) {
      clock.sleep(ONE_SECOND);
    }
    ExecutionResult result = run.await(Duration.ZERO); // ended: the kept result, no further call
    return record(figures, result, end, reads, cpu);
  }

  private ExecutionResult record(Figures figures, ExecutionResult result, long end, long reads, long cpu) {
    long late = clock.nanos() - end;
    if (result.status() != ExecutionResult.Status.SUCCEEDED || late < 0) {
      throw new IllegalStateException("the command ended " + result.status() + ", seen " + late + " ns after"
          + " its end");
    }
    figures.commands++;
    figures.polls += api.statusReads() - reads;
    figures.lateMillis += late / 1e6;
    figures.clientCpuMicros += (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3;
    return result;
  }

  /**
   * Server sockets whose connections send at once (TCP_NODELAY). Without it every call took about 45 ms
   * here: Nagle's algorithm on the mock's sockets waiting for the client's delayed ACK, presumably because
   * the mock writes a response's headers and body separately. That delay is the mock's, not the client's,
   * so it is switched off here; the client's sockets are left as OkHttp makes them.
   */
  static final class NoDelayServerSockets extends ServerSocketFactory {
    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new ServerSocket() {
        @Override
        public Socket accept() throws IOException {
          Socket s = super.accept();
          s.setTcpNoDelay(true);
          return s;
        }
      };
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
      throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
    }
  }

  /**
   * Runs this class's benchmarks with the settings of its annotations and the JMH options given (such as
   * {@code -p duration=PT5M} or {@code -rf json}), then prints the figures per command as a Markdown table:
   * each counter divided by {@code commands}, and the real time per HTTP call (the primary score divided by
   * the status reads plus the one {@code commands/execute}).
   */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Options options = new OptionsBuilder().parent(new CommandLineOptions(args))
        .include(CommandPollingBenchmark.class.getName() + "\\.").build();
    System.out.println(perCommand(new Runner(options).run()));
  }

  /** The table {@link #main} prints. */
  static String perCommand(Collection<RunResult> results) {
    StringBuilder table = new StringBuilder("| duration | benchmark | status reads | seen late (simulated ms) |"
        + " real µs per command | real µs per HTTP call | client CPU µs per command |\n"
        + "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    List<RunResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparing((RunResult r) -> Duration.parse(r.getParams().getParam("duration")))
        .thenComparing(r -> r.getParams().getBenchmark()));
    for (RunResult r : sorted) {
      String benchmark = r.getParams().getBenchmark();
      double commands = secondary(r, "commands");
      double reads = secondary(r, "polls") / commands;
      double perCommand = r.getPrimaryResult().getScore();
      table.append(String.format(Locale.ROOT, "| %s | `%s` | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
          r.getParams().getParam("duration"), benchmark.substring(benchmark.lastIndexOf('.') + 1), reads,
          secondary(r, "lateMillis") / commands, perCommand, perCommand / (reads + 1),
          secondary(r, "clientCpuMicros") / commands));
    }
    return table.toString();
  }

  private static double secondary(RunResult r, String counter) {
    Result<?> result = r.getSecondaryResults().get(counter);
    return result == null ? 0 : result.getScore(); // JMH leaves out a counter that stayed 0
  }
}
