package io.prophecy.sdk.spark.internal;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.spark.SparkFabricProvider;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PlanExecutor;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark SQL session (dialect {@code spark}) that also runs pipeline plans. Its work runs in order on
 * one thread of its own, each submission in a Spark job group of its own so that it can be cancelled.
 * SQL runs in the session's own {@link SparkSession} (its temporary views and settings persist from one
 * submission to the next); each plan run and each analysis gets a fresh {@link SparkSession} with the
 * same settings, so the views of one run never reach another and the session's own views are not seen.
 */
public final class SparkExecutionSession implements ExecutionSession, PlanExecutor {
  private static final Logger log = LoggerFactory.getLogger(SparkExecutionSession.class);
  private static final AtomicLong IDS = new AtomicLong();
  private static final CodeLanguage LANGUAGE = CodeLanguage.sql("spark");
  private static final long CLOSE_WAIT_SECONDS = 30;

  private final SparkFabricConnection connection;
  private final SparkSession spark;
  private final Map<String, String> conf;
  private final JobGroups groups;
  private final int maxRows;
  private final String name;
  private final ExecutorService executor;
  private final Set<SparkTask<?>> tasks = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong submissions = new AtomicLong();

  SparkExecutionSession(SparkFabricConnection connection, SparkSession spark, Map<String, String> conf,
      JobGroups groups, int maxRows) {
    this.connection = connection;
    this.spark = spark;
    this.conf = Map.copyOf(conf);
    this.groups = groups;
    this.maxRows = maxRows;
    this.name = "prophecy-spark-" + IDS.incrementAndGet();
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CodeLanguage language() {
    return LANGUAGE;
  }

  /**
   * Runs Spark SQL: one statement or several separated by top-level {@code ;}. Returns at once.
   *
   * @throws ConnectorException when the code is not Spark SQL or the session is closed
   */
  @Override
  public Execution submit(CodeUnit code) {
    Objects.requireNonNull(code, "code");
    CodeLanguage lang = code.language();
    if (lang.kind() != CodeLanguage.Kind.SQL || !lang.dialect().orElse("").equalsIgnoreCase("spark")) {
      throw new ConnectorException(SparkFabricProvider.KIND, "'" + code.label() + "' is " + lang
          + " code; this session runs Spark SQL (SQL(spark)) only");
    }
    SqlExecution task = new SqlExecution(nextId(), "SQL '" + code.label() + "'", groups, spark,
        SqlStatements.split(code.text()), maxRows);
    start(task);
    return task;
  }

  @Override
  public PlanExecutor.Analysis analyze(PipelinePlan plan) {
    Objects.requireNonNull(plan, "plan");
    ensureOpen();
    SparkSession fresh = planSession();
    scala.Option<SparkSession> callers = SparkSession.getActiveSession();
    SparkSession.setActiveSession(fresh);
    try {
      return PlanRun.analyze(fresh, plan);
    } finally {
      if (callers.isDefined()) {
        SparkSession.setActiveSession(callers.get());
      } else {
        SparkSession.clearActiveSession();
      }
    }
  }

  @Override
  public PlanExecutor.PlanExecution execute(PipelinePlan plan, PlanExecutor.Listener listener) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(listener, "listener");
    PlanTask task = new PlanTask(nextId(), groups, this::planSession, () -> connection.statementSession(planConf()),
        plan, listener);
    start(task);
    return task;
  }

  /** A fresh Spark session with this session's settings, for one plan run or analysis. */
  private SparkSession planSession() {
    SparkSession fresh = spark.newSession();
    planConf().forEach((k, v) -> fresh.conf().set(k, v));
    return fresh;
  }

  /** The settings of a plan run's session: this session's, with one adaptive rule left out. */
  private Map<String, String> planConf() {
    Map<String, String> out = new java.util.LinkedHashMap<>(conf);
    // With this rule, adaptive execution drops the other side of a join whose one side turns out empty,
    // and with it that side's observed row counts.
    String rule = "org.apache.spark.sql.execution.adaptive.AQEPropagateEmptyRelation";
    String key = "spark.sql.adaptive.optimizer.excludedRules";
    String excluded = conf.getOrDefault(key, "").strip();
    out.put(key, excluded.isEmpty() ? rule : excluded + "," + rule);
    return out;
  }

  private String nextId() {
    return name + "-" + submissions.incrementAndGet();
  }

  private void start(SparkTask<?> task) {
    ensureOpen();
    tasks.add(task);
    try {
      executor.execute(() -> {
        try {
          task.run();
        } finally {
          tasks.remove(task);
        }
      });
    } catch (RejectedExecutionException e) {
      tasks.remove(task);
      throw closedError();
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw closedError();
    }
  }

  private ConnectorException closedError() {
    return new ConnectorException(SparkFabricProvider.KIND, "this Spark session is closed; open a new one");
  }

  /**
   * Cancels what runs or waits, and waits (up to 30 s) for the session's thread to finish. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    tasks.forEach(SparkTask::requestCancel);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("Spark session {} still runs work {} s after it was cancelled", name, CLOSE_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.forget(this);
  }

  @Override
  public String toString() {
    return "SparkExecutionSession{" + name + (closed.get() ? ", closed" : "") + "}";
  }
}
