package io.prophecy.sdk.spark.internal;

import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PlanExecutor;
import io.prophecy.sdk.spi.PlanExecutor.Failure;
import io.prophecy.sdk.spi.PlanExecutor.Result;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** A pipeline plan running in a Spark session of its own. */
final class PlanTask extends SparkTask<Result> implements PlanExecutor.PlanExecution {
  private final Supplier<SparkSession> sessions;
  /** The shared session for runs without counts, or null to run them in the run's own session. */
  private final Supplier<SourceViews> statements;
  private final PipelinePlan plan;
  private final PlanExecutor.Listener listener;
  private SparkSession spark;
  private volatile PlanRun run;

  PlanTask(String id, JobGroups groups, Supplier<SparkSession> sessions, Supplier<SourceViews> statements,
      PipelinePlan plan, PlanExecutor.Listener listener) {
    super(id, "pipeline '" + plan.pipeline() + "'", groups);
    this.sessions = sessions;
    this.statements = statements;
    this.plan = plan;
    this.listener = listener;
  }

  @Override
  SparkSession spark() {
    if (spark == null) {
      spark = sessions.get();
    }
    return spark;
  }

  @Override
  Result body(SparkSession spark) throws InterruptedException {
    SourceViews shared = plan.samples() || plan.countRows() ? null : statements.get();
    if (shared != null) {
      // without counts or samples: one statement per terminal in the connection's statement session
      PlanRun r = new PlanRun(shared.spark(), plan, listener, this::checkCancelled, shared);
      run = r;
      SparkSession.setActiveSession(shared.spark());
      try {
        if (r.runStatements()) {
          return new Result(ExecutionResult.Status.SUCCEEDED, r.outcomes(), Optional.empty());
        }
      } catch (PlanRun.StatementFailed failed) {
        SparkSession.setActiveSession(spark);
        PlanRun own = new PlanRun(spark, plan, listener, this::checkCancelled);
        throw own.blameStatement(failed);
      } finally {
        SparkSession.setActiveSession(spark);
        r.cleanUp();
      }
      // a statement did not analyse: a view per step in the run's own session names what is wrong
    }
    PlanRun r = new PlanRun(spark, plan, listener, this::checkCancelled);
    run = r;
    try {
      if (plan.samples()) {
        r.runSampled();
      } else {
        // a shared session tried the statements already, if there was one
        r.runFused(shared == null);
      }
    } finally {
      r.cleanUp();
    }
    return new Result(ExecutionResult.Status.SUCCEEDED, r.outcomes(), Optional.empty());
  }

  @Override
  Result cancelled() {
    return new Result(ExecutionResult.Status.CANCELLED, outcomes(), Optional.empty());
  }

  @Override
  Result failed(Throwable error) {
    Failure failure = error instanceof PlanRun.StepFailure f ? f.failure
        : new Failure(run == null ? gemOfFirstStep() : run.currentGem(), Optional.empty(), EngineErrors.message(error),
            Optional.of(EngineErrors.detail(error)));
    return new Result(ExecutionResult.Status.FAILED, outcomes(), Optional.of(failure));
  }

  private String gemOfFirstStep() {
    return plan.steps().isEmpty() ? plan.pipeline() : plan.steps().get(0).gem();
  }

  private List<PlanExecutor.Outcome> outcomes() {
    PlanRun r = run;
    return r == null ? List.of() : r.outcomes();
  }

  @Override
  ExecutionResult.Status statusOf(Result result) {
    return result.status();
  }

  @Override
  public ExecutionResult.Status status() {
    return currentStatus();
  }

  @Override
  public Result await(Duration timeout) throws InterruptedException {
    return awaitResult(timeout);
  }

  @Override
  public void cancel() {
    requestCancel();
  }
}
