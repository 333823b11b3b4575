package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.SessionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fails, cancels or interrupts a run in every state of the cluster, the context and the command, then
 * checks that every execution context created on the (fake, stateful) cluster was destroyed, that the
 * connection holds none, and that its shutdown hook is gone.
 */
class ContextLifecycleTest {
  private static final CodeLanguage PY = CodeLanguage.python();
  private static final CodeUnit CODE = new CodeUnit("Reformat", PY, "df = spark.range(10)");

  private final FakeCommandApi fake = new FakeCommandApi();
  private final MockWebServer server = new MockWebServer();
  private final TestPlatform test = new TestPlatform();
  private DatabricksFabricConnection connection;

  @FunctionalInterface
  interface Scenario {
    void run(FakeCommandApi fake, DatabricksFabricConnection connection, TestPlatform test) throws Exception;
  }

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(fake);
    server.start();
    DatabricksSettings settings = DatabricksSettings.defaults(server.url("/")).withClusterId(FakeCommandApi.CLUSTER)
        .withReadTimeout(Duration.ofSeconds(5)).withRetries(0, Duration.ofSeconds(60))
        .withClusterStartTimeout(Duration.ofMinutes(5));
    connection = DatabricksFabricConnection.open(settings, new MockWorkspace().auth(), test.context(),
        test.platform());
  }

  @AfterEach
  void stop() {
    Thread.interrupted();
    server.close();
  }

  static Stream<Arguments> scenarios() {
    List<Arguments> all = new ArrayList<>();
    // --- opening: the cluster, then the context
    all.add(scenario("cluster ERROR: open fails, no context", 0, (f, c, t) -> {
      f.clusterState = "ERROR";
      assertThatThrownBy(() -> open(c)).isExactlyInstanceOf(ConnectorException.class)
          .hasMessageContaining("DRIVER_UNREACHABLE");
    }));
    all.add(scenario("cluster PENDING: open interrupted, no context", 0, (f, c, t) -> {
      f.clusterState = "PENDING";
      t.interruptNextSleep.set(true);
      assertThatThrownBy(() -> open(c)).isInstanceOf(InterruptedCallException.class);
      assertThat(Thread.interrupted()).as("the interrupt flag is kept").isTrue();
    }));
    all.add(scenario("context create fails", 0, (f, c, t) -> {
      f.failContextCreate = true;
      assertThatThrownBy(() -> open(c)).hasMessageContaining("too many execution contexts");
    }));
    all.add(scenario("context Pending then Error: open fails", 1, (f, c, t) -> {
      f.contextScript = List.of("Pending", "Error");
      assertThatThrownBy(() -> open(c)).hasMessageContaining("reported Error while starting");
    }));
    all.add(scenario("context Pending past the start timeout", 1, (f, c, t) -> {
      f.contextScript = List.of("Pending");
      assertThatThrownBy(() -> c.openSession(SessionOptions.builder().language(PY)
          .startTimeout(Duration.ofSeconds(3)).build())).hasMessageContaining("is still Pending at the end");
    }));
    all.add(scenario("context Pending: open interrupted", 1, (f, c, t) -> {
      f.contextScript = List.of("Pending");
      t.interruptNextSleep.set(true);
      assertThatThrownBy(() -> open(c)).isInstanceOf(InterruptedCallException.class);
      assertThat(Thread.interrupted()).isTrue();
    }));
    all.add(scenario("context status read fails", 1, (f, c, t) -> {
      f.contextScript = List.of("Pending", FakeCommandApi.FAIL);
      assertThatThrownBy(() -> open(c)).hasMessageContaining("driver lost");
    }));
    all.add(scenario("execute fails", 1, (f, c, t) -> {
      f.failExecute = true;
      try (ExecutionSession s = open(c)) {
        assertThatThrownBy(() -> s.submit(CODE)).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("command is too long");
      }
    }));
    // --- a command that stays in a state that is not final: cancel, interrupt, time out, fail, close
    for (String state : List.of("Queued", "Running", "Cancelling")) {
      all.add(scenario("command " + state + ": cancel", 1, (f, c, t) -> {
        f.commandScript = List.of(state);
        try (ExecutionSession s = open(c)) {
          Execution run = s.submit(CODE);
          run.cancel();
          assertThat(run.await(Duration.ofMinutes(1)).status()).isEqualTo(ExecutionResult.Status.CANCELLED);
        }
        assertThat(f.cancelled).hasSize(1);
      }));
      all.add(scenario("command " + state + ": wait interrupted", 1, (f, c, t) -> {
        f.commandScript = List.of(state);
        try (ExecutionSession s = open(c)) {
          Execution run = s.submit(CODE);
          t.interruptNextSleep.set(true);
          assertThatThrownBy(() -> run.await(Duration.ofMinutes(1))).isInstanceOf(InterruptedException.class);
        }
        assertThat(f.cancelled).as("an interrupted wait cancels the command").hasSize(1);
      }));
      all.add(scenario("command " + state + ": wait times out", 1, (f, c, t) -> {
        f.commandScript = List.of(state);
        try (ExecutionSession s = open(c)) {
          Execution run = s.submit(CODE);
          assertThatThrownBy(() -> run.await(Duration.ofSeconds(5))).hasMessageContaining("is still " + state);
        }
      }));
      all.add(scenario("command " + state + ": status read fails", 1, (f, c, t) -> {
        f.commandScript = List.of(state, FakeCommandApi.FAIL);
        try (ExecutionSession s = open(c)) {
          Execution run = s.submit(CODE);
          assertThatThrownBy(() -> run.await(Duration.ofMinutes(1))).hasMessageContaining("driver lost");
        }
      }));
      all.add(scenario("command " + state + ": session closed without waiting", 1, (f, c, t) -> {
        f.commandScript = List.of(state);
        ExecutionSession s = open(c);
        Execution run = s.submit(CODE);
        assertThat(run.status()).isNotIn(ExecutionResult.Status.SUCCEEDED, ExecutionResult.Status.FAILED);
        s.close();
      }));
      all.add(scenario("command " + state + ": closed from an interrupted thread", 1, (f, c, t) -> {
        f.commandScript = List.of(state);
        ExecutionSession s = open(c);
        s.submit(CODE).status();
        Thread.currentThread().interrupt();
        s.close();
        assertThat(Thread.interrupted()).as("close keeps the interrupt flag").isTrue();
      }));
      all.add(scenario("command " + state + ": connection closed with the session open", 1, (f, c, t) -> {
        f.commandScript = List.of(state);
        open(c).submit(CODE).status();
        c.close();
      }));
      all.add(scenario("command " + state + ": JVM shutdown with the session open", 1, (f, c, t) -> {
        f.commandScript = List.of(state);
        open(c).submit(CODE).status();
        t.hooks.get(0).run();
        assertThat(f.leaked()).isEmpty();
      }));
    }
    // --- a command that ended, in each way
    for (String end : List.of("Finished", "FinishedWithError", "Error", "Cancelled")) {
      ExecutionResult.Status expected = switch (end) {
        case "Finished" -> ExecutionResult.Status.SUCCEEDED;
        case "Cancelled" -> ExecutionResult.Status.CANCELLED;
        default -> ExecutionResult.Status.FAILED;
      };
      all.add(scenario("command " + end + " after Running", 1, (f, c, t) -> {
        f.commandScript = List.of("Queued", "Running", end);
        try (ExecutionSession s = open(c)) {
          Execution run = s.submit(CODE);
          assertThat(run.await(Duration.ofMinutes(1)).status()).isEqualTo(expected);
          run.cancel();
        }
        assertThat(f.cancelled).as("no cancel of a command that ended").isEmpty();
      }));
    }
    all.add(scenario("two sessions, the second one's open fails", 2, (f, c, t) -> {
      ExecutionSession first = open(c);
      f.contextScript = List.of("Error");
      assertThatThrownBy(() -> open(c)).hasMessageContaining("reported Error");
      first.submit(CODE).await(Duration.ofMinutes(1));
    }));
    return all.stream();
  }

  private static Arguments scenario(String name, int contexts, Scenario s) {
    return Arguments.of(name, contexts, s);
  }

  private static ExecutionSession open(DatabricksFabricConnection c) {
    return c.openSession(SessionOptions.of(PY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyContextCreatedIsDestroyed(String name, int contexts, Scenario scenario) throws Exception {
    try {
      scenario.run(fake, connection, test);
    } finally {
      Thread.interrupted();
      connection.close();
    }
    assertThat(fake.created).as("contexts created").hasSize(contexts);
    assertThat(fake.leaked()).as("contexts not destroyed").isEmpty();
    assertThat(fake.destroyed).as("each destroyed once").doesNotHaveDuplicates();
    assertThat(connection.openContexts()).isEmpty();
    assertThat(test.hooks).as("the shutdown hook is removed").isEmpty();
    assertThat(test.removedHooks).hasSize(1);
    assertThat(fake.problems).as("requests the fake found wrong").isEmpty();
  }
}
