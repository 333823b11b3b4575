package io.prophecy.sdk.spark.internal;

import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ResultTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark SQL statements run one after another; every statement whose result has columns gives a table
 * of at most the session's row limit. The first failing statement ends the execution.
 */
final class SqlExecution extends SparkTask<ExecutionResult> implements Execution {
  private final SparkSession spark;
  private final List<String> statements;
  private final int maxRows;

  SqlExecution(String id, String label, JobGroups groups, SparkSession spark, List<String> statements, int maxRows) {
    super(id, label, groups);
    this.spark = spark;
    this.statements = List.copyOf(statements);
    this.maxRows = maxRows;
  }

  @Override
  SparkSession spark() {
    return spark;
  }

  @Override
  ExecutionResult body(SparkSession spark) {
    List<ResultTable> tables = new ArrayList<>();
    for (int i = 0; i < statements.size(); i++) {
      checkCancelled();
      try {
        Dataset<Row> df = spark.sql(statements.get(i));
        if (!df.schema().isEmpty()) {
          tables.add(Results.table(df, maxRows));
        }
      } catch (Exception e) {
        if (statements.size() > 1 && !(e instanceof Cancelled)) {
          throw new StatementFailed(i, e);
        }
        throw e;
      }
    }
    return ExecutionResult.builder().status(ExecutionResult.Status.SUCCEEDED).tables(tables).build();
  }

  /** Says which of several statements failed. */
  private static final class StatementFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int index;

    StatementFailed(int index, Exception cause) {
      super(cause.getMessage(), cause, false, false);
      this.index = index;
    }
  }

  @Override
  ExecutionResult cancelled() {
    return ExecutionResult.builder().status(ExecutionResult.Status.CANCELLED).build();
  }

  @Override
  ExecutionResult failed(Throwable error) {
    String prefix = "";
    Throwable engine = error;
    if (error instanceof StatementFailed sf) {
      prefix = "statement " + (sf.index + 1) + " of " + statements.size() + ": ";
      engine = sf.getCause();
    }
    return ExecutionResult.builder().status(ExecutionResult.Status.FAILED)
        .error(prefix + EngineErrors.message(engine))
        .errorDetail(EngineErrors.detail(engine))
        .build();
  }

  @Override
  ExecutionResult.Status statusOf(ExecutionResult result) {
    return result.status();
  }

  @Override
  public String id() {
    return taskId();
  }

  @Override
  public ExecutionResult.Status status() {
    return currentStatus();
  }

  @Override
  public ExecutionResult await(Duration timeout) throws InterruptedException {
    return awaitResult(timeout);
  }

  @Override
  public void cancel() {
    requestCancel();
  }
}
