package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PlanExecutor;
import io.prophecy.sdk.spi.SessionOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a session takes plans: SQL sessions only, one plan at a time, and closing it cancels the plan. */
class PlanSessionTest {
  private final FakeCommandApi fake = new FakeCommandApi();
  private final MockWebServer server = new MockWebServer();
  private final TestPlatform test = new TestPlatform();
  private DatabricksFabricConnection connection;

  private static final PipelinePlan PLAN = new PipelinePlan("p", List.of(new PipelinePlan.Step("Numbers",
      PipelinePlan.Kind.TRANSFORM, "Numbers", "SELECT id FROM range(3)", Optional.empty(), Optional.empty(), false,
      List.of(), List.of())), 20);

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(fake);
    server.start();
    DatabricksSettings settings = DatabricksSettings.defaults(server.url("/")).withClusterId(FakeCommandApi.CLUSTER)
        .withReadTimeout(Duration.ofSeconds(5)).withRetries(0, Duration.ofSeconds(60));
    connection = DatabricksFabricConnection.open(settings, new MockWorkspace().auth(), test.context(), test.platform());
  }

  @AfterEach
  void stop() {
    connection.close();
    server.close();
  }

  @Test
  void aPythonSessionRefusesPlansSayingWhatToOpen() {
    try (ExecutionSession s = connection.openSession(SessionOptions.of(CodeLanguage.python()))) {
      assertThat(s).isInstanceOf(PlanExecutor.class);
      assertThatThrownBy(() -> ((PlanExecutor) s).execute(PLAN, PlanExecutor.Listener.NONE))
          .isInstanceOf(ConnectorException.class).hasMessageContaining("CodeLanguage.sql(\"spark\")");
      assertThatThrownBy(() -> ((PlanExecutor) s).analyze(PLAN)).isInstanceOf(ConnectorException.class);
    }
    assertThat(fake.leaked()).isEmpty();
    assertThat(fake.problems).isEmpty();
  }

  @Test
  void oneSessionRunsOnePlanAtATimeAndClosingItCancelsTheRun() throws Exception {
    fake.commandScript = List.of("Running");
    ExecutionSession s = connection.openSession(SessionOptions.of(CodeLanguage.sql("spark")));
    PlanExecutor executor = (PlanExecutor) s;
    PlanExecutor.PlanExecution run = executor.execute(PLAN, PlanExecutor.Listener.NONE);
    assertThat(run.status()).isEqualTo(ExecutionResult.Status.RUNNING);
    assertThatThrownBy(() -> executor.execute(PLAN, PlanExecutor.Listener.NONE)).isInstanceOf(ConnectorException.class)
        .hasMessageContaining("a session runs one at a time");

    s.close();

    PlanExecutor.Result r = run.await(Duration.ofSeconds(30));
    assertThat(r.status()).isEqualTo(ExecutionResult.Status.CANCELLED);
    assertThat(r.failure()).isEmpty();
    assertThat(fake.leaked()).isEmpty();
    assertThat(fake.cancelled).hasSizeLessThanOrEqualTo(1);
    assertThat(fake.problems).isEmpty();
  }
}
