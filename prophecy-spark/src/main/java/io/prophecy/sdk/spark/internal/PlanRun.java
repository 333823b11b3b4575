package io.prophecy.sdk.spark.internal;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.SparkOptions;
import io.prophecy.sdk.spi.PipelinePlan.Step;
import io.prophecy.sdk.spi.PlanExecutor;
import io.prophecy.sdk.spi.PlanExecutor.Failure;
import io.prophecy.sdk.spi.PlanExecutor.Outcome;
import io.prophecy.sdk.spi.ResultTable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.RepartitionOperation;
import org.apache.spark.sql.catalyst.plans.logical.ResolvedHint;
import org.apache.spark.sql.catalyst.plans.logical.Sort;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.View;
import org.apache.spark.sql.catalyst.plans.logical.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link PipelinePlan} in a Spark session of its own (so its temporary views end with it).
 *
 * <p><b>Without samples</b> ({@link #runFused(boolean)}): every step becomes a temporary view whose data frame
 * carries an observed row count ({@link Dataset#observe}); then only the terminal steps run (the WRITE
 * steps, and steps whose output no step reads), each as one Spark query. A query reports the counts of
 * every view it read, so each gem is counted in the first query that covers it, and its duration is that
 * query's. A step that only sorts, projects, windows or repartitions its one input is not observed: its
 * count is its input's, and Spark plans the query as it would the plain SQL (an {@code ORDER BY} under a
 * {@code LIMIT} stays a top-K sort). Counts that query could not give exactly (a view read under a
 * LIMIT, which stops early; one below a global sort, whose sampling pass reads it twice, unless the
 * sort's exchange tells its rows; a view the optimizer removed: see {@link ObservedCounts}) are taken by
 * counting the view on its own afterwards. A plan that does not count rows
 * ({@link PipelinePlan#countRows()} false) observes only the terminal steps, so Spark plans each query as
 * it would the plain SQL; the other steps report nothing. Such a plan runs each terminal as one statement
 * ({@link #runStatements}): only the sources become views, and the gems a terminal reads are common
 * table expressions of its query, so the run parses and analyses about what the plain SQL does.
 *
 * <p><b>With samples</b> ({@link #runSampled()}): the steps run one by one in order; each output is
 * persisted (memory and disk), counted and sampled, so later steps read it from the cache; everything is
 * unpersisted at the end. A step's duration is the time of its own count, sample and write.
 */
final class PlanRun {
  private static final Logger log = LoggerFactory.getLogger(PlanRun.class);
  static final String METRIC_PREFIX = "prophecy_gem_";
  private static final Duration REPORT_WAIT = Duration.ofSeconds(60);

  /** Ends a run at a step: the failure to report. */
  static final class StepFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Failure failure;

    StepFailure(Failure failure, Throwable cause) {
      super(failure.message(), cause, false, false);
      this.failure = failure;
    }
  }

  private final SparkSession spark;
  private final PipelinePlan plan;
  private final List<Step> steps;
  private final PlanExecutor.Listener listener;
  private final Runnable checkCancelled;
  /** Step index by the view it registers (READ and TRANSFORM steps). */
  private final Map<String, Integer> byView = new HashMap<>();
  /** Each step's data frame, without observation. */
  private final List<Dataset<Row>> frames = new ArrayList<>();
  private final Map<Integer, Outcome> outcomes = new TreeMap<>();
  private final List<Dataset<Row>> persisted = new ArrayList<>();
  private volatile int current;
  /** The session's kept sources when the statements run in a shared session; else null. */
  private final SourceViews sources;
  /** Views of this run's own in the shared session, dropped at the end. */
  private final List<String> runViews = new ArrayList<>();
  private final String metricPrefix;
  private static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();

  /**
   * A statement that failed while it ran in a shared session, where the steps cannot become views: the
   * caller finds the gem to blame in a session of the run's own ({@link #blameStatement}).
   */
  static final class StatementFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int terminal;

    StatementFailed(int terminal, Exception cause) {
      super(cause.getMessage(), cause, false, false);
      this.terminal = terminal;
    }
  }

  PlanRun(SparkSession spark, PipelinePlan plan, PlanExecutor.Listener listener, Runnable checkCancelled) {
    this(spark, plan, listener, checkCancelled, null);
  }

  /**
   * A run whose statements ({@link #runStatements}) run in the session of {@code sources}, which keeps
   * their source views; {@code spark} must be that session.
   */
  PlanRun(SparkSession spark, PipelinePlan plan, PlanExecutor.Listener listener, Runnable checkCancelled,
      SourceViews sources) {
    this.sources = sources;
    // a shared session reports every run's queries to every run's listener: the names are this run's
    this.metricPrefix = sources == null ? METRIC_PREFIX : METRIC_PREFIX + "r" + RUNS.incrementAndGet() + "_";
    this.spark = spark;
    this.plan = plan;
    this.steps = plan.steps();
    this.listener = listener;
    this.checkCancelled = checkCancelled;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).kind() != PipelinePlan.Kind.WRITE) {
        byView.put(steps.get(i).view(), i);
      }
    }
  }

  /** Resolves each step's schema in a fresh session, reading no data where the source declares a schema. */
  static PlanExecutor.Analysis analyze(SparkSession spark, PipelinePlan plan) {
    PlanRun run = new PlanRun(spark, plan, PlanExecutor.Listener.NONE, () -> {});
    Map<String, List<ResultTable.Column>> schemas = new LinkedHashMap<>();
    for (int i = 0; i < plan.steps().size(); i++) {
      Step s = plan.steps().get(i);
      try {
        Dataset<Row> df = run.build(i, true);
        schemas.put(s.gem(), Results.columns(df.schema()));
      } catch (StepFailure f) {
        return new PlanExecutor.Analysis(schemas, Optional.of(f.failure));
      }
    }
    return new PlanExecutor.Analysis(schemas, Optional.empty());
  }

  /** The steps that completed so far, in step order. */
  synchronized List<Outcome> outcomes() {
    return List.copyOf(outcomes.values());
  }

  /** The gem of the step running now. */
  String currentGem() {
    return steps.isEmpty() ? plan.pipeline() : steps.get(Math.min(current, steps.size() - 1)).gem();
  }

  /**
   * Runs the plan without samples: only terminal steps run, counts come from observed metrics. A plan
   * without counts is tried as statements first when {@code tryStatements} (its caller has not tried
   * them in a shared session already).
   */
  void runFused(boolean tryStatements) throws InterruptedException {
    MetricsListener reports = new MetricsListener(metricPrefix);
    spark.listenerManager().register(reports);
    try {
      if (tryStatements && !plan.countRows() && runStatements(reports)) {
        return;
      }
      List<Dataset<Row>> observed = new ArrayList<>();
      List<Integer> terminals = terminals();
      // a step that only sorts, projects, windows or repartitions its one input has the input's count:
      // it is not observed, which keeps Spark's plan as the plain query's (ORDER BY ... LIMIT stays a top-K)
      Map<Integer, Integer> sameRows = new HashMap<>();
      // without counts, only terminal steps are observed: an observation at the top of the plan keeps
      // no filter from the scan
      Set<Integer> uncounted = new HashSet<>();
      for (int i = 0; i < steps.size(); i++) {
        checkCancelled.run();
        current = i;
        Dataset<Row> df = build(i, false);
        boolean terminal = terminals.contains(i);
        int base = terminal || !plan.countRows() ? -1 : sameRowsAs(i, df);
        Dataset<Row> o = df;
        if (!terminal && !plan.countRows()) {
          uncounted.add(i);
        } else if (base >= 0) {
          sameRows.put(i, base);
        } else {
          o = df.observe(metric(i), functions.count(functions.lit(1)).as("rows"));
        }
        observed.add(o);
        if (steps.get(i).kind() != PipelinePlan.Kind.WRITE) {
          register(i, o);
        }
      }
      for (int t : terminals) {
        checkCancelled.run();
        Set<Integer> covered = new TreeSet<>(upstream(t));
        covered.removeAll(outcomes.keySet());
        covered.removeAll(uncounted);
        covered.forEach(i -> listener.stepStarted(steps.get(i).gem()));
        current = t;
        runTerminal(t, observed.get(t), covered);
        Optional<MetricsListener.Report> report = reports.await(metric(t), REPORT_WAIT);
        if (report.isEmpty()) {
          log.warn("Spark reported no row counts for gem '{}' within {}; counting its inputs one by one",
              steps.get(t).gem(), REPORT_WAIT);
          continue;
        }
        Duration took = Duration.ofNanos(report.get().durationNanos());
        for (int i : covered) {
          Long rows = sameRows.containsKey(i) ? null : report.get().counts().get(metric(i));
          if (rows != null) {
            record(i, rows, took, Optional.empty());
          }
        }
        for (int i : covered) {
          recordSameRows(i, sameRows, took);
        }
      }
      for (int i = 0; i < steps.size(); i++) {
        if (outcomes.containsKey(i) || uncounted.contains(i) || recordSameRows(i, sameRows, null)) {
          continue;
        }
        checkCancelled.run();
        current = i;
        long started = System.nanoTime();
        long rows;
        try {
          rows = frames.get(i).count();
        } catch (Exception e) {
          throw failure(i, e);
        }
        record(i, rows, Duration.ofNanos(System.nanoTime() - started), Optional.empty());
      }
    } finally {
      spark.listenerManager().unregister(reports);
    }
  }

  /**
   * Runs a plan that does not count rows as one statement per terminal step: the READ steps become
   * temporary views, and each terminal's query takes every TRANSFORM step it reads as a common table
   * expression named like the step's view, so Spark parses and analyses the pipeline once per terminal
   * instead of once per gem, with no view command per gem. Only the terminal's output is observed, as on
   * the path with a view per step.
   *
   * <p>A statement that does not parse or analyse (a gem's SQL that cannot stand inside {@code WITH}, or a
   * gem's own error) is left to the path with a view per step, which names the gem and field; a query
   * that fails while running is blamed the same way, on the first of its steps that fails on its own.
   * One difference from views: a non-deterministic step read by several others is evaluated once per
   * terminal query (Spark keeps such a common table expression whole) rather than once per read.
   *
   * @return false when nothing ran yet, and the plan is to run with a view per step
   */
  boolean runStatements() throws InterruptedException {
    MetricsListener reports = new MetricsListener(metricPrefix);
    spark.listenerManager().register(reports);
    try {
      return runStatements(reports);
    } finally {
      spark.listenerManager().unregister(reports);
    }
  }

  private boolean runStatements(MetricsListener reports) throws InterruptedException {
    List<Integer> terminals = terminals();
    // in a shared session a source is a kept (or this run's) view, and its gem a common table expression
    Map<Integer, String> sourceViews = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).kind() == PipelinePlan.Kind.READ) {
        checkCancelled.run();
        current = i;
        if (sources == null) {
          register(i, build(i, false));
        } else {
          int step = i;
          Step s = steps.get(i);
          Optional<String> key;
          try {
            key = SourceViews.key(dataset(s), schema(s, dataset(s)));
          } catch (StepFailure e) {
            return false; // the view-per-step run reports it
          }
          String view;
          if (key.isPresent()) {
            view = sources.keep(key.get(), () -> build(step, false));
          } else {
            view = sources.once(build(step, false));
            runViews.add(view);
          }
          sourceViews.put(i, view);
        }
      }
    }
    List<Dataset<Row>> statements = new ArrayList<>();
    for (int t : terminals) {
      Step s = steps.get(t);
      if (s.kind() == PipelinePlan.Kind.READ && sources == null) {
        statements.add(frames.get(t));
        continue;
      }
      StringBuilder with = new StringBuilder();
      for (int i : new TreeSet<>(upstream(t))) {
        Step u = steps.get(i);
        String body = u.kind() == PipelinePlan.Kind.TRANSFORM ? u.sql()
            : sourceViews.containsKey(i) ? "SELECT * FROM `" + sourceViews.get(i) + "`" : null;
        if (i != t && body != null) {
          with.append(with.length() == 0 ? "WITH " : ",\n").append('`').append(u.view().replace("`", "``"))
              .append("` AS (\n").append(body).append("\n)");
        }
      }
      String query = s.kind() == PipelinePlan.Kind.READ ? "SELECT * FROM `" + sourceViews.get(t) + "`" : s.sql();
      checkCancelled.run();
      current = t;
      try {
        statements.add(spark.sql(with.length() == 0 ? query : with + "\n" + query));
      } catch (SparkTask.Cancelled e) {
        throw e;
      } catch (Exception e) {
        log.debug("Pipeline '{}': gem '{}' and the steps it reads did not analyse as one statement ({});"
            + " running a view per step", plan.pipeline(), s.gem(), EngineErrors.message(e));
        return false;
      }
    }
    for (int k = 0; k < terminals.size(); k++) {
      checkCancelled.run();
      int t = terminals.get(k);
      current = t;
      Step s = steps.get(t);
      listener.stepStarted(s.gem());
      Dataset<Row> observed = statements.get(k).observe(metric(t), functions.count(functions.lit(1)).as("rows"));
      try {
        writeTerminal(s, observed);
      } catch (StepFailure | SparkTask.Cancelled e) {
        throw e;
      } catch (Exception e) {
        checkCancelled.run();
        if (sources != null) {
          throw new StatementFailed(t, e);
        }
        // a view per step, so that the step that fails on its own can be found
        for (int i = 0; i < steps.size(); i++) {
          if (steps.get(i).kind() != PipelinePlan.Kind.READ) {
            Dataset<Row> df = build(i, false);
            if (steps.get(i).kind() != PipelinePlan.Kind.WRITE) {
              register(i, df);
            }
          }
        }
        throw blame(t, new TreeSet<>(upstream(t)), e);
      }
      Optional<MetricsListener.Report> report = reports.await(metric(t), REPORT_WAIT);
      Long rows = report.map(r -> r.counts().get(metric(t))).orElse(null);
      if (rows != null) {
        record(t, rows, Duration.ofNanos(report.get().durationNanos()), Optional.empty());
        continue;
      }
      log.warn("Spark reported no row count for gem '{}' within {}; counting its output on its own", s.gem(), REPORT_WAIT);
      long started = System.nanoTime();
      try {
        rows = statements.get(k).count();
      } catch (Exception e) {
        throw failure(t, e);
      }
      record(t, rows, Duration.ofNanos(System.nanoTime() - started), Optional.empty());
    }
    return true;
  }

  /**
   * The failure of a statement that failed while it ran in a shared session, found in this run's own
   * session: every step becomes a view, and the first of the terminal's steps that fails on its own is
   * blamed.
   */
  StepFailure blameStatement(StatementFailed failed) {
    Exception e = (Exception) failed.getCause();
    for (int i = 0; i < steps.size(); i++) {
      checkCancelled.run();
      current = i;
      Dataset<Row> df = build(i, false);
      if (steps.get(i).kind() != PipelinePlan.Kind.WRITE) {
        register(i, df);
      }
    }
    return blame(failed.terminal, new TreeSet<>(upstream(failed.terminal)), e);
  }

  /**
   * Records the count of a step that has its input's rows, once the input is counted; its duration is
   * {@code took}, or the input's when null.
   *
   * @return whether it is recorded now
   */
  private boolean recordSameRows(int i, Map<Integer, Integer> sameRows, Duration took) {
    Integer base = sameRows.get(i);
    if (base == null || outcomes.containsKey(i)) {
      return false;
    }
    Outcome counted = outcomes.get(base);
    if (counted == null) {
      return false;
    }
    record(i, counted.rows(), took != null ? took : counted.duration(), Optional.empty());
    return true;
  }

  /**
   * The step whose row count step {@code i} always has: its one input, when the step's query only sorts,
   * projects, windows or repartitions that input; else -1.
   */
  private int sameRowsAs(int i, Dataset<Row> df) {
    Step s = steps.get(i);
    if (s.kind() != PipelinePlan.Kind.TRANSFORM || s.inputs().size() != 1) {
      return -1;
    }
    Integer input = byView.get(s.inputs().get(0));
    if (input == null) {
      return -1;
    }
    String view = s.inputs().get(0);
    LogicalPlan p = df.queryExecution().analyzed();
    while (true) {
      if (p instanceof View v) {
        return v.desc().identifier().table().equalsIgnoreCase(view) ? input : -1;
      }
      boolean keepsRows = p instanceof Sort || p instanceof Project || p instanceof Window
          || p instanceof RepartitionOperation || p instanceof SubqueryAlias || p instanceof ResolvedHint;
      if (!keepsRows || p.children().size() != 1) {
        return -1;
      }
      p = p.children().head();
    }
  }

  /** Runs the plan step by step, persisting, counting and sampling each output. */
  void runSampled() {
    for (int i = 0; i < steps.size(); i++) {
      checkCancelled.run();
      current = i;
      Step s = steps.get(i);
      listener.stepStarted(s.gem());
      long started = System.nanoTime();
      Dataset<Row> df = build(i, false).persist(StorageLevel.MEMORY_AND_DISK());
      persisted.add(df);
      long rows;
      Optional<ResultTable> sample = Optional.empty();
      try {
        rows = df.count();
        if (s.sample()) {
          checkCancelled.run();
          sample = Optional.of(Results.sample(df, plan.sampleRows(), rows));
        }
        if (s.kind() == PipelinePlan.Kind.WRITE) {
          checkCancelled.run();
          write(s, df);
        } else {
          register(i, df);
        }
      } catch (StepFailure | SparkTask.Cancelled e) {
        throw e;
      } catch (Exception e) {
        throw failure(i, e);
      }
      record(i, rows, Duration.ofNanos(System.nanoTime() - started), sample);
    }
  }

  /** Unpersists what the run cached. */
  void cleanUp() {
    if (sources != null) {
      runViews.forEach(sources::drop);
      runViews.clear();
    }
    for (Dataset<Row> df : persisted) {
      try {
        df.unpersist(false);
      } catch (Exception e) {
        log.warn("Could not unpersist a cached step output of pipeline '{}': {}", plan.pipeline(), e.getMessage());
      }
    }
    persisted.clear();
  }

  private synchronized void record(int i, long rows, Duration took, Optional<ResultTable> sample) {
    Outcome o = new Outcome(steps.get(i).gem(), rows, took, sample);
    outcomes.put(i, o);
    listener.stepFinished(o);
  }

  private String metric(int i) {
    return metricPrefix + i;
  }

  private List<Integer> terminals() {
    return plan.terminals();
  }

  /** The step and every step it reads, directly or not. */
  private Set<Integer> upstream(int step) {
    Set<Integer> seen = new HashSet<>();
    Deque<Integer> todo = new ArrayDeque<>(List.of(step));
    while (!todo.isEmpty()) {
      int i = todo.pop();
      if (!seen.add(i)) {
        continue;
      }
      Step s = steps.get(i);
      List<String> reads = new ArrayList<>(s.inputs());
      if (s.kind() == PipelinePlan.Kind.WRITE) {
        reads.add(s.view());
      }
      for (String v : reads) {
        Integer j = byView.get(v);
        if (j != null && j < steps.size()) {
          todo.push(j);
        }
      }
    }
    return seen;
  }

  /**
   * Runs a terminal step: its write, or for a step nobody reads a {@code noop} write that computes every
   * row and column. A job failure is blamed on the first step that fails when run on its own.
   */
  private void runTerminal(int t, Dataset<Row> observed, Set<Integer> covered) {
    Step s = steps.get(t);
    try {
      writeTerminal(s, observed);
    } catch (StepFailure | SparkTask.Cancelled e) {
      throw e;
    } catch (Exception e) {
      // without counts, the steps it reads were left out of covered, but ran inside its query
      throw blame(t, plan.countRows() ? covered : new TreeSet<>(upstream(t)), e);
    }
  }

  /** A terminal step's write, or for a step nobody reads a {@code noop} write that computes every row and column. */
  private void writeTerminal(Step s, Dataset<Row> observed) {
    if (s.kind() == PipelinePlan.Kind.WRITE) {
      write(s, observed);
    } else {
      observed.write().format("noop").mode("overwrite").save();
    }
  }

  /**
   * The failure of terminal step {@code t}'s query: an analysis error is the step's own; a job failure is
   * the first of the {@code covered} steps' that fails when its view is computed on its own, else the
   * terminal's.
   */
  private StepFailure blame(int t, Set<Integer> covered, Exception e) {
    if (e instanceof AnalysisException) {
      return failure(t, e);
    }
    checkCancelled.run();
    for (int i : covered) {
      if (i == t) {
        continue;
      }
      checkCancelled.run();
      current = i;
      try {
        frames.get(i).write().format("noop").mode("overwrite").save();
      } catch (Exception inner) {
        checkCancelled.run();
        return failure(i, inner);
      }
    }
    current = t;
    return failure(t, e);
  }

  /**
   * The step's data frame. For analysis, a READ with a declared schema reads nothing.
   *
   * @throws StepFailure naming the step (and the field, when one of its probes fails too)
   */
  private Dataset<Row> build(int i, boolean analysisOnly) {
    Step s = steps.get(i);
    Dataset<Row> df;
    try {
      df = switch (s.kind()) {
        case READ -> read(s, analysisOnly);
        case TRANSFORM, WRITE -> spark.sql(s.sql());
      };
      if (analysisOnly && s.kind() != PipelinePlan.Kind.WRITE) {
        register(i, df);
      }
    } catch (StepFailure | SparkTask.Cancelled e) {
      throw e;
    } catch (Exception e) {
      throw failure(i, e);
    }
    while (frames.size() <= i) {
      frames.add(null);
    }
    frames.set(i, df);
    return df;
  }

  private void register(int i, Dataset<Row> df) {
    String view = steps.get(i).view();
    df.createOrReplaceTempView("`" + view.replace("`", "``") + "`");
  }

  private Dataset<Row> read(Step s, boolean analysisOnly) {
    DatasetSpec d = dataset(s);
    String format = d.format().toLowerCase(Locale.ROOT);
    StructType schema = schema(s, d);
    if (analysisOnly && schema != null) {
      return spark.createDataFrame(List.<Row>of(), schema);
    }
    if (format.equals("catalogtable")) {
      return spark.table(d.table().orElseThrow());
    }
    DataFrameReader r = spark.read().format(format).options(SparkOptions.of(d));
    if (schema != null) {
      r = r.schema(schema);
    } else if (format.equals("csv") && !d.options().containsKey("inferSchema")) {
      r = r.option("inferSchema", "true");
    }
    if (format.equals("jdbc")) {
      if (!d.options().containsKey("dbtable") && !d.options().containsKey("query")) {
        r = r.option("dbtable", d.table().orElseThrow());
      }
      return r.load();
    }
    return r.load(d.path().orElseThrow());
  }

  private void write(Step s, Dataset<Row> df) {
    DatasetSpec d = dataset(s);
    String format = d.format().toLowerCase(Locale.ROOT);
    String mode = s.writeMode().or(() -> Optional.ofNullable(d.options().get("writeMode"))).orElse("error");
    if (mode.equalsIgnoreCase("merge")) {
      throw new StepFailure(new Failure(s.gem(), Optional.of("writeMode"), "writeMode 'merge' (a Delta merge) is not"
          + " run by the SDK yet; use overwrite or append", Optional.empty()), null);
    }
    DataFrameWriter<Row> w = df.write().mode(mode).options(SparkOptions.of(d));
    List<String> partitions = SparkOptions.partitionColumns(d);
    if (!partitions.isEmpty()) {
      w = w.partitionBy(partitions.toArray(String[]::new));
    }
    if (format.equals("catalogtable")) {
      w.saveAsTable(d.table().orElseThrow());
    } else if (format.equals("jdbc")) {
      if (!d.options().containsKey("dbtable")) {
        w = w.option("dbtable", d.table().orElseThrow());
      }
      w.format("jdbc").save();
    } else {
      w.format(format).save(d.path().orElseThrow());
    }
  }

  private static DatasetSpec dataset(Step s) {
    return s.dataset().orElseThrow(() -> new StepFailure(new Failure(s.gem(), Optional.empty(),
        "the " + s.kind() + " step of gem '" + s.gem() + "' names no dataset", Optional.empty()), null));
  }

  /** The declared schema, or null when the dataset declares none. */
  private static StructType schema(Step s, DatasetSpec d) {
    if (d.schema().isEmpty()) {
      return null;
    }
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < d.schema().size(); i++) {
      DatasetSpec.Column c = d.schema().get(i);
      DataType type;
      try {
        type = DataType.fromDDL(c.type());
      } catch (Exception e) {
        throw new StepFailure(new Failure(s.gem(), Optional.of("dataset.schema[" + i + "].type"),
            "column '" + c.name() + "' of dataset '" + d.name() + "' has type '" + c.type()
                + "', which Spark does not know: " + EngineErrors.message(e), Optional.of(EngineErrors.detail(e))), e);
      }
      fields.add(new StructField(c.name(), type, c.nullable(), Metadata.empty()));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** A failure of step {@code i}; analysis errors are located by the first of its probes that fails too. */
  private StepFailure failure(int i, Throwable e) {
    Step s = steps.get(i);
    Optional<String> field = Optional.empty();
    if (e instanceof AnalysisException) {
      for (PipelinePlan.Probe p : s.probes()) {
        try {
          spark.sql(p.sql());
        } catch (Exception probeError) {
          field = Optional.of(p.field());
          break;
        }
      }
    }
    return new StepFailure(new Failure(s.gem(), field, EngineErrors.message(e), Optional.of(EngineErrors.detail(e))), e);
  }
}
