package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PlanExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session on an all-purpose cluster: one execution context of one language, created when the session
 * opens and destroyed when it closes, or when opening fails or is interrupted. Thread-safe.
 *
 * <p>A SQL session also runs pipeline plans ({@link PlanExecutor}), one at a time, as Spark SQL commands in
 * its context: see {@link DatabricksPlanExecutor} for the commands a run costs.
 */
final class CommandSession implements ExecutionSession, PlanExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(CommandSession.class);
  static final Duration FIRST_POLL = Duration.ofMillis(100);
  static final Duration MAX_POLL = Duration.ofSeconds(2);

  private final CommandClient commands;
  private final ContextRegistry registry;
  private final CodeLanguage language;
  private final String apiLanguage;
  private final ContextRegistry.Context context;
  private final Platform.Sleeper sleeper;
  private final Clock clock;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The plan running in this context, if any: its views live in the context, so one runs at a time. */
  private final AtomicReference<PlanExecutor.PlanExecution> plan = new AtomicReference<>();

  private CommandSession(CommandClient commands, ContextRegistry registry, CodeLanguage language, String apiLanguage,
      ContextRegistry.Context context, Platform.Sleeper sleeper, Clock clock, Runnable onClose) {
    this.commands = commands;
    this.registry = registry;
    this.language = language;
    this.apiLanguage = apiLanguage;
    this.context = context;
    this.sleeper = sleeper;
    this.clock = clock;
    this.onClose = onClose;
  }

  /** The API 1.2 name of a language: sql, python or scala. */
  static String apiLanguage(CodeLanguage language) {
    return switch (language.kind()) {
      case PYTHON -> "python";
      case SCALA -> "scala";
      case SQL -> {
        String dialect = language.dialect().orElse("").toLowerCase(Locale.ROOT);
        if (!Set.of("spark", "databricks").contains(dialect)) {
          throw new InvalidInputException("session.language", "a Databricks cluster runs Spark SQL, not the "
              + dialect + " dialect; open the session with CodeLanguage.sql(\"spark\")");
        }
        yield "sql";
      }
    };
  }

  /**
   * Creates the context on a running cluster and waits until it is ready.
   *
   * @throws InterruptedException when interrupted; the context, if created, is destroyed first
   * @throws ConnectorException when the context cannot be created, reports Error, or is not ready by the deadline;
   *     the context, if created, is destroyed first
   */
  static CommandSession open(CommandClient commands, ContextRegistry registry, String clusterId,
      CodeLanguage language, Instant deadline, Platform.Sleeper sleeper, Clock clock, Runnable onClose)
      throws InterruptedException {
    String api = apiLanguage(language);
    String contextId;
    try {
      contextId = commands.createContext(clusterId, api);
    } catch (InterruptedCallException e) {
      throw e.asInterruptedException();
    }
    ContextRegistry.Context context = new ContextRegistry.Context(clusterId, contextId);
    registry.add(context);
    CommandSession session = new CommandSession(commands, registry, language, api, context, sleeper, clock, onClose);
    try {
      session.awaitContext(deadline);
    } catch (InterruptedCallException e) {
      session.closeAfterFailure(e);
      throw e.asInterruptedException();
    } catch (InterruptedException | RuntimeException | Error e) {
      session.closeAfterFailure(e);
      throw e;
    }
    LOG.info("databricks: {} context {} ready on cluster {}", api, contextId, clusterId);
    return session;
  }

  private void awaitContext(Instant deadline) throws InterruptedException {
    Backoff backoff = new Backoff(FIRST_POLL, MAX_POLL);
    while (true) {
      JsonNode s = commands.contextStatus(context.clusterId(), context.contextId());
      String status = s.path("status").asText("");
      switch (status) {
        case "Running":
          return;
        case "Error":
          throw new ConnectorException(DatabricksFabricProvider.KIND, "the " + apiLanguage + " execution context on"
              + " cluster " + context.clusterId() + " reported Error while starting" + detail(s)
              + "; look at the cluster's driver log, or restart the cluster");
        default:
          break;
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        throw new ConnectorException(DatabricksFabricProvider.KIND, "the " + apiLanguage + " execution context on"
            + " cluster " + context.clusterId() + " is still " + status + " at the end of the start timeout;"
            + " the cluster may be overloaded or have too many contexts open. Try again, or raise the"
            + " session's start timeout");
      }
      Duration wait = backoff.next();
      Duration left = Duration.between(now, deadline);
      sleeper.sleep(wait.compareTo(left) < 0 ? wait : left);
    }
  }

  private static String detail(JsonNode s) {
    String cause = s.path("error").asText(s.path("cause").asText(""));
    return cause.isBlank() ? "" : ": " + cause;
  }

  String contextId() {
    return context.contextId();
  }

  String clusterId() {
    return context.clusterId();
  }

  @Override
  public CodeLanguage language() {
    return language;
  }

  @Override
  public Execution submit(CodeUnit code) {
    if (closed.get()) {
      throw new IllegalStateException("this Databricks session is closed; open another one");
    }
    if (!code.language().kind().equals(language.kind())) {
      throw new InvalidInputException("code.language", code.label() + " is " + code.language() + " but this"
          + " session runs " + language + "; open a session of that language");
    }
    String id = commands.execute(context.clusterId(), context.contextId(), apiLanguage, code.text(), code.label());
    LOG.debug("databricks: {} started as command {} in context {}", code.label(), id, context.contextId());
    return new CommandExecution(commands, context, id, code.label(), sleeper, clock);
  }

  private DatabricksPlanExecutor planExecutor() {
    if (closed.get()) {
      throw new IllegalStateException("this Databricks session is closed; open another one");
    }
    if (!apiLanguage.equals("sql")) {
      throw new ConnectorException(DatabricksFabricProvider.KIND, "pipelines run in a SQL session; this session"
          + " runs " + language + ". Open the session with CodeLanguage.sql(\"spark\")");
    }
    return new DatabricksPlanExecutor(this::submit, clock, "context " + context.contextId() + " on cluster "
        + context.clusterId());
  }

  /**
   * Resolves each step's schema on the cluster, one command per step.
   *
   * @throws ConnectorException when the session is not a SQL one, or a plan runs in it now
   */
  @Override
  public PlanExecutor.Analysis analyze(PipelinePlan plan) {
    Objects.requireNonNull(plan, "plan");
    DatabricksPlanExecutor executor = planExecutor();
    PlanExecutor.PlanExecution placeholder = claimForPlan(plan);
    try {
      return executor.analyze(plan);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedCallException("interrupted while analysing pipeline '" + plan.pipeline() + "'", e);
    } finally {
      this.plan.compareAndSet(placeholder, null);
    }
  }

  /**
   * Starts running the plan on a thread of its own and returns at once.
   *
   * @throws ConnectorException when the session is not a SQL one, or another plan runs in it now
   */
  @Override
  public PlanExecutor.PlanExecution execute(PipelinePlan plan, PlanExecutor.Listener listener) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(listener, "listener");
    DatabricksPlanExecutor executor = planExecutor();
    PlanExecutor.PlanExecution[] made = new PlanExecutor.PlanExecution[1];
    PlanExecutor.PlanExecution placeholder = claimForPlan(plan);
    made[0] = executor.execute(plan, listener, () -> this.plan.compareAndSet(made[0], null));
    if (!this.plan.compareAndSet(placeholder, made[0])) {
      made[0].cancel(); // the session was closed meanwhile
    }
    return made[0];
  }

  /** Marks the session as running a plan; a placeholder until the run exists. */
  private PlanExecutor.PlanExecution claimForPlan(PipelinePlan p) {
    PlanExecutor.PlanExecution placeholder = new PlanExecutor.PlanExecution() {
      @Override
      public ExecutionResult.Status status() {
        return ExecutionResult.Status.RUNNING;
      }

      @Override
      public PlanExecutor.Result await(Duration timeout) {
        throw new IllegalStateException("a placeholder");
      }

      @Override
      public void cancel() {}
    };
    if (!plan.compareAndSet(null, placeholder)) {
      throw new ConnectorException(DatabricksFabricProvider.KIND, "a pipeline already runs in " + this + "; a"
          + " session runs one at a time: wait for it, or open another session for pipeline '" + p.pipeline() + "'");
    }
    return placeholder;
  }

  /**
   * Destroys the context. Idempotent. A destroy that fails leaves the context with the shutdown hook and
   * is thrown.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    PlanExecutor.PlanExecution running = plan.get();
    if (running != null) {
      running.cancel();
    }
    try {
      destroy();
    } finally {
      onClose.run();
    }
  }

  /** Destroys the context after opening failed; a failure to destroy is added to the primary one. */
  private void closeAfterFailure(Throwable primary) {
    closed.set(true);
    try {
      destroy();
    } catch (RuntimeException e) {
      // the context stays with the shutdown hook, which tries again when the JVM stops
      primary.addSuppressed(e);
    } finally {
      onClose.run();
    }
  }

  /**
   * Destroys the context unless the shutdown hook already did, also from an interrupted thread: the flag
   * is set aside for the call and restored. A failed destroy leaves the context to the hook.
   */
  private void destroy() {
    if (!registry.claim(context)) {
      LOG.debug("databricks: context {} on cluster {} was already destroyed", context.contextId(), context.clusterId());
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      commands.destroyContext(context.clusterId(), context.contextId());
      LOG.debug("databricks: destroyed context {} on cluster {}", context.contextId(), context.clusterId());
    } catch (RuntimeException e) {
      registry.release(context);
      throw e;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "DatabricksSession[" + language + ", cluster " + context.clusterId() + ", context " + context.contextId()
        + (closed.get() ? ", closed" : "") + "]";
  }
}
