package io.prophecy.sdk.databricks.internal;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PipelinePlan.Step;
import io.prophecy.sdk.spi.PlanExecutor;
import io.prophecy.sdk.spi.PlanExecutor.Failure;
import io.prophecy.sdk.spi.PlanExecutor.Outcome;
import io.prophecy.sdk.spi.ResultTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pipeline plans in one SQL execution context, as Spark SQL commands of the Command API 1.2.
 *
 * <p>A run costs these commands (each one {@code commands/execute} and its {@code commands/status} polls):
 * <ol>
 *   <li>one that registers every READ and TRANSFORM step as a temporary view (the statements joined by
 *       {@code ;}, which a SQL command runs in order);
 *   <li>one query that counts the rows of every counted step ({@code SELECT i, count(*) FROM view UNION
 *       ALL ...}); with {@link PipelinePlan#countRows()} false only the steps nothing reads, the WRITE
 *       steps and the sampled steps are counted;
 *   <li>one {@code SELECT * FROM view LIMIT sampleRows} per sampled step;
 *   <li>one per WRITE step.
 * </ol>
 * So a plan of S sampled steps and W writes costs S + W + 2 commands, whatever its number of steps.
 * Nothing is cached on the cluster: the count query, each sample and each write read their inputs from
 * the sources again. When a command fails, the step to blame is found with further commands: the views
 * are registered (or counted) one by one until one fails, and that step's probes are analysed one by one
 * to name the field.
 *
 * <p>{@link #analyze} costs one command per step ({@code CREATE VIEW ...; SELECT * FROM view LIMIT 0},
 * which Spark answers without running a job).
 *
 * <p>Durations are measured by the SDK around the commands: the count query's time is given to every
 * step it counted, plus the step's own sample and write.
 */
final class DatabricksPlanExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(DatabricksPlanExecutor.class);
  private static final CodeLanguage SQL = CodeLanguage.sql("spark");
  /** How long one command may run; the run's own timeout (core's RunOptions) cancels it before. */
  private static final Duration COMMAND_WAIT = Duration.ofDays(365);

  private final Function<CodeUnit, Execution> submit;
  private final Clock clock;
  private final String where;

  /**
   * @param submit runs a SQL command in the session's context
   * @param where the context and cluster, for messages
   */
  DatabricksPlanExecutor(Function<CodeUnit, Execution> submit, Clock clock, String where) {
    this.submit = submit;
    this.clock = clock;
    this.where = where;
  }

  /** Ends a run at a step. */
  private static final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Failure failure;

    StepFailed(Failure failure) {
      super(failure.message(), null, false, false);
      this.failure = failure;
    }
  }

  /** The run was cancelled. */
  private static final class Cancelled extends Exception {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super(null, null, false, false);
    }
  }

  /** One command that ended, with its time. */
  private record Ran(ExecutionResult result, Duration took) {
    boolean failed() {
      return result.status() != ExecutionResult.Status.SUCCEEDED;
    }
  }

  PlanExecutor.Analysis analyze(PipelinePlan plan) throws InterruptedException {
    Run run = new Run(plan, PlanExecutor.Listener.NONE);
    Map<String, List<ResultTable.Column>> schemas = new LinkedHashMap<>();
    for (int i = 0; i < plan.steps().size(); i++) {
      Step s = plan.steps().get(i);
      List<String> sql = s.kind() == PipelinePlan.Kind.WRITE ? List.of(PlanSql.schema(s))
          : List.of(PlanSql.define(s), PlanSql.schema(s));
      try {
        Ran r = run.commandInParts("analyze " + s.gem(), sql);
        if (r.failed()) {
          return new PlanExecutor.Analysis(schemas, Optional.of(run.blame(i, r.result())));
        }
        schemas.put(s.gem(), Types.columns(run.table(s, r.result())));
      } catch (Cancelled e) {
        return new PlanExecutor.Analysis(schemas, Optional.of(new Failure(s.gem(), Optional.empty(),
            "the analysis was cancelled", Optional.empty())));
      }
    }
    return new PlanExecutor.Analysis(schemas, Optional.empty());
  }

  /** Starts the run on a thread of its own. */
  PlanExecutor.PlanExecution execute(PipelinePlan plan, PlanExecutor.Listener listener, Runnable onEnd) {
    Run run = new Run(plan, listener);
    Thread t = new Thread(() -> {
      try {
        run.body();
      } finally {
        onEnd.run();
      }
    }, "prophecy-databricks-plan-" + plan.pipeline());
    t.setDaemon(true);
    t.start();
    return run;
  }

  /** One run of a plan. Thread-safe. */
  private final class Run implements PlanExecutor.PlanExecution {
    private final PipelinePlan plan;
    private final List<Step> steps;
    private final PlanExecutor.Listener listener;
    private final Map<Integer, Outcome> outcomes = new TreeMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Object lock = new Object();
    private Execution current;
    private boolean cancelled;
    private volatile PlanExecutor.Result result;

    Run(PipelinePlan plan, PlanExecutor.Listener listener) {
      this.plan = plan;
      this.steps = plan.steps();
      this.listener = listener;
    }

    void body() {
      PlanExecutor.Result r = null;
      try {
        run();
        r = new PlanExecutor.Result(ExecutionResult.Status.SUCCEEDED, outcomes(), Optional.empty());
      } catch (Cancelled e) {
        r = new PlanExecutor.Result(ExecutionResult.Status.CANCELLED, outcomes(), Optional.empty());
      } catch (StepFailed e) {
        r = cancelled() ? new PlanExecutor.Result(ExecutionResult.Status.CANCELLED, outcomes(), Optional.empty())
            : new PlanExecutor.Result(ExecutionResult.Status.FAILED, outcomes(), Optional.of(e.failure));
      } catch (InterruptedException e) {
        r = new PlanExecutor.Result(ExecutionResult.Status.CANCELLED, outcomes(), Optional.empty());
      } catch (RuntimeException e) {
        r = cancelled() ? new PlanExecutor.Result(ExecutionResult.Status.CANCELLED, outcomes(), Optional.empty())
            : new PlanExecutor.Result(ExecutionResult.Status.FAILED, outcomes(), Optional.of(new Failure(
                gemAt(at), Optional.empty(), String.valueOf(e.getMessage()), Optional.empty())));
      } finally {
        // an Error ends the run too, so that nobody waits for it in vain
        result = r != null ? r : new PlanExecutor.Result(ExecutionResult.Status.FAILED, outcomes(), Optional.of(
            new Failure(gemAt(at), Optional.empty(), "the run of pipeline '" + plan.pipeline() + "' stopped on an"
                + " internal error; see the log", Optional.empty())));
        done.countDown();
      }
    }

    /** The step being counted, sampled or written now, for a failure without a step of its own. */
    private volatile int at;

    private String gemAt(int i) {
      return steps.isEmpty() ? plan.pipeline() : steps.get(Math.min(i, steps.size() - 1)).gem();
    }

    private void run() throws Cancelled, StepFailed, InterruptedException {
      if (steps.isEmpty()) {
        return;
      }
      String defineAll = PlanSql.defineAll(steps);
      if (!defineAll.isEmpty()) {
        Ran r = command("register the views of " + plan.pipeline(), defineAll);
        Optional<StepFailed> located = r.failed() ? locateDefinition(r.result()) : Optional.empty();
        if (located.isPresent()) {
          StepFailed failed = located.get();
          // as on the embedded fabric, the steps before the one that failed run
          int upTo = indexOf(failed.failure.gem());
          List<Integer> before = counted().stream().filter(i -> i < upTo).toList();
          if (!before.isEmpty()) {
            process(before);
          }
          throw failed;
        }
      }
      process(counted());
    }

    private int indexOf(String gem) {
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i).gem().equals(gem)) {
          return i;
        }
      }
      return 0;
    }

    /** Counts the steps in one query, then samples and writes them one by one, in step order. */
    private void process(List<Integer> counted) throws Cancelled, StepFailed, InterruptedException {
      counted.forEach(i -> listener.stepStarted(steps.get(i).gem()));
      Map<Integer, Long> rows = new TreeMap<>();
      Ran counts = command("count the rows of " + plan.pipeline(), PlanSql.count(counted, steps));
      if (counts.failed()) {
        locateCount(counted, counts.result());
      }
      ResultTable t = counts.result().tables().isEmpty() ? null : counts.result().tables().get(0);
      if (t == null) {
        throw new ConnectorException(DatabricksFabricProvider.KIND, "the count query of pipeline '"
            + plan.pipeline() + "' returned no table in " + where);
      }
      for (List<Object> row : t.rows()) {
        rows.put(((Number) row.get(0)).intValue(), ((Number) row.get(1)).longValue());
      }
      for (int i : counted) {
        Step s = steps.get(i);
        at = i;
        Duration took = counts.took();
        Optional<ResultTable> sample = Optional.empty();
        long n = rows.getOrDefault(i, 0L);
        if (s.sample()) {
          String query = plan.sampleRows() == 0 ? PlanSql.schema(s) : PlanSql.sample(s, plan.sampleRows());
          Ran r = command("sample " + s.gem(), query);
          if (r.failed()) {
            throw new StepFailed(blame(i, r.result()));
          }
          sample = Optional.of(Types.sample(table(s, r.result()), n));
          took = took.plus(r.took());
        }
        if (s.kind() == PipelinePlan.Kind.WRITE) {
          List<String> sql;
          try {
            sql = PlanSql.writeStatements(s);
          } catch (PlanSql.Unsupported u) {
            throw new StepFailed(new Failure(s.gem(), Optional.of(u.field), u.getMessage(), Optional.empty()));
          } catch (IllegalArgumentException bad) {
            throw new StepFailed(new Failure(s.gem(), Optional.empty(), bad.getMessage(), Optional.empty()));
          }
          Ran r = commandInParts("write " + s.gem(), sql);
          if (r.failed()) {
            throw new StepFailed(failure(s, Optional.empty(), r.result()));
          }
          took = took.plus(r.took());
        }
        record(i, new Outcome(s.gem(), n, took, sample));
      }
    }

    /** The steps counted: all, or without countRows the ones nothing reads, the WRITE steps and the sampled ones. */
    private List<Integer> counted() {
      Set<Integer> terminal = new HashSet<>(plan.terminals());
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        if (plan.countRows() || terminal.contains(i) || steps.get(i).sample()) {
          out.add(i);
        }
      }
      return out;
    }

    /**
     * Registering the views failed: each is registered alone, in order, until one fails. When none does,
     * the cluster did not take several statements in one command, and the views are registered now.
     */
    private Optional<StepFailed> locateDefinition(ExecutionResult all) throws Cancelled, InterruptedException {
      for (int i = 0; i < steps.size(); i++) {
        Step s = steps.get(i);
        if (s.kind() == PipelinePlan.Kind.WRITE) {
          continue;
        }
        at = i;
        Ran r = command("register the view of " + s.gem(), PlanSql.define(s));
        if (r.failed()) {
          return Optional.of(new StepFailed(blame(i, r.result())));
        }
      }
      LOG.warn("databricks: registering the views of pipeline '{}' in one command failed in {}, but each alone"
          + " succeeded; the cluster seems not to take several statements in one SQL command: {}", plan.pipeline(),
          where, all.error().orElse(""));
      return Optional.empty();
    }

    /** The count query failed (at run time, as a bad cast does): each step is counted alone until one fails. */
    private void locateCount(List<Integer> counted, ExecutionResult all) throws Cancelled, StepFailed, InterruptedException {
      for (int i = 0; i < steps.size(); i++) {
        at = i;
        Ran r = command("count " + steps.get(i).gem(), PlanSql.count(List.of(i), steps));
        if (r.failed()) {
          throw new StepFailed(blame(i, r.result()));
        }
      }
      throw new StepFailed(failure(null, Optional.empty(), all));
    }

    /** The failure of step {@code i}; an analysis error is located by the first of its probes that fails too. */
    Failure blame(int i, ExecutionResult failed) throws Cancelled, InterruptedException {
      Step s = steps.get(i);
      Optional<String> field = Optional.empty();
      String error = failed.error().orElse("") + "\n" + failed.errorDetail().orElse("");
      if (error.contains("AnalysisException") || error.contains("ParseException")) {
        for (PipelinePlan.Probe p : s.probes()) {
          Ran r = command("probe " + s.gem() + " " + p.field(), PlanSql.probe(p));
          if (r.failed()) {
            field = Optional.of(p.field());
            break;
          }
        }
      }
      return failure(s, field, failed);
    }

    private Failure failure(Step s, Optional<String> field, ExecutionResult failed) {
      String gem = s == null ? plan.pipeline() : s.gem();
      String message = failed.status() == ExecutionResult.Status.CANCELLED ? "the command was cancelled"
          : failed.error().orElse("the command ended with status " + failed.status());
      return new Failure(gem, field, message, failed.errorDetail());
    }

    /** The table a query returned. */
    ResultTable table(Step s, ExecutionResult r) {
      if (r.tables().isEmpty()) {
        throw new ConnectorException(DatabricksFabricProvider.KIND, "the query of gem '" + s.gem() + "' returned no"
            + " table in " + where + (r.text().map(t -> " but the text '" + t + "'").orElse("")));
      }
      return r.tables().get(0);
    }

    /**
     * Runs the statements as one command; when it fails, runs them one by one (a cluster that takes one
     * statement per command), and answers with the first that fails, or the last.
     */
    Ran commandInParts(String label, List<String> statements) throws Cancelled, InterruptedException {
      Ran all = command(label, String.join(";\n", statements));
      if (!all.failed() || statements.size() == 1) {
        return all;
      }
      Duration took = all.took();
      Ran last = all;
      for (String statement : statements) {
        last = command(label, statement);
        took = took.plus(last.took());
        if (last.failed()) {
          return new Ran(last.result(), took);
        }
      }
      LOG.warn("databricks: '{}' failed as one command in {} but succeeded statement by statement; the cluster seems"
          + " not to take several statements in one SQL command", label, where);
      return new Ran(last.result(), took);
    }

    /** Runs one SQL command to its end; a cancel of the run cancels it. */
    Ran command(String label, String sql) throws Cancelled, InterruptedException {
      Execution e;
      synchronized (lock) {
        if (cancelled) {
          throw new Cancelled();
        }
      }
      Instant started = clock.instant();
      e = submit.apply(new CodeUnit(label, SQL, sql));
      boolean cancelNow;
      synchronized (lock) {
        current = e;
        cancelNow = cancelled;
      }
      if (cancelNow) {
        cancelQuietly(e);
      }
      ExecutionResult r;
      try {
        r = e.await(COMMAND_WAIT);
      } finally {
        synchronized (lock) {
          current = null;
        }
      }
      if (r.status() == ExecutionResult.Status.CANCELLED || cancelled()) {
        throw new Cancelled();
      }
      return new Ran(r, Duration.between(started, clock.instant()));
    }

    private boolean cancelled() {
      synchronized (lock) {
        return cancelled;
      }
    }

    private void record(int i, Outcome o) {
      synchronized (outcomes) {
        outcomes.put(i, o);
      }
      listener.stepFinished(o);
    }

    private List<Outcome> outcomes() {
      synchronized (outcomes) {
        return List.copyOf(outcomes.values());
      }
    }

    @Override
    public ExecutionResult.Status status() {
      PlanExecutor.Result r = result;
      return r == null ? ExecutionResult.Status.RUNNING : r.status();
    }

    @Override
    public PlanExecutor.Result await(Duration timeout) throws InterruptedException {
      if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ConnectorException(DatabricksFabricProvider.KIND, "pipeline '" + plan.pipeline() + "' is still"
            + " running in " + where + " after " + timeout.toMillis() + " ms; wait again, or cancel it");
      }
      return result;
    }

    /** Cancels the command running now (once) and ends the run as CANCELLED; returns without waiting. */
    @Override
    public void cancel() {
      Execution e;
      synchronized (lock) {
        if (cancelled) {
          return;
        }
        cancelled = true;
        e = current;
      }
      if (e != null) {
        cancelQuietly(e);
      }
    }

    private void cancelQuietly(Execution e) {
      try {
        e.cancel();
      } catch (RuntimeException failed) {
        LOG.warn("databricks: could not cancel command {} of pipeline '{}' in {}; it ends with its context: {}",
            e.id(), plan.pipeline(), where, failed.getMessage());
      }
    }
  }
}
