package io.prophecy.sdk.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Interim;
import io.prophecy.sdk.Interims;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.Run;
import io.prophecy.sdk.RunOptions;
import io.prophecy.sdk.codegen.SparkSqlCompiler;
import io.prophecy.sdk.codegen.SparkSqlCompiler.GemSql;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.GemMetrics;
import io.prophecy.sdk.model.RunRecord;
import io.prophecy.sdk.pipeline.Configuration;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PlanExecutor;
import io.prophecy.sdk.spi.SessionOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An interactive run: compiles the pipeline to a plan, runs it on its own thread through the fabric's
 * {@link PlanExecutor}, collects metrics and samples as gems finish, and keeps the run in the history.
 */
final class RunImpl implements Run {
  private static final Logger LOG = LoggerFactory.getLogger(RunImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PipelineImpl pipeline;
  private final Fabric fabric;
  private final RunOptions options;
  private final String id = Engine.newId();
  private final Instant started;
  private final CountDownLatch done = new CountDownLatch(1);
  private final Map<String, GemMetrics> metrics = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Interim> interims = Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile RunRecord.Status status = RunRecord.Status.RUNNING;
  private volatile Failure failure;
  private volatile Instant finished;
  private volatile PlanExecutor.PlanExecution execution;
  private volatile boolean cancelled;

  private RunImpl(PipelineImpl pipeline, Fabric fabric, RunOptions options) {
    this.pipeline = pipeline;
    this.fabric = fabric;
    this.options = options;
    this.started = pipeline.project.engine.clock().instant();
  }

  /** A compiled plan and what the run needs to report on it. */
  private record Prepared(PipelinePlan plan) {}

  static Run start(PipelineImpl pipeline, Fabric fabric, RunOptions options) {
    RunImpl run = new RunImpl(pipeline, fabric, options);
    var engine = pipeline.project.engine;
    engine.codeCache(); // before the transaction: the first use may write the cache's keyset
    Prepared prepared = engine.mutate(pipeline.project.team.user.email(), "pipeline.run", pipeline.target(), tx -> {
      pipeline.project.requireVisible(tx.c);
      tx.team(pipeline.project.team.info.id()).detail("run=" + run.id + " fabric=" + fabric.info().name()
          + " interims=" + options.interims());
      Prepared p = run.prepare();
      RunHistory.record(tx.c, run.record());
      return p;
    });
    Thread t = new Thread(() -> run.body(prepared), "prophecy-run-" + pipeline.info.name());
    t.setDaemon(true);
    t.start();
    return run;
  }

  private Prepared prepare() {
    PlanCache.Entry entry;
    try {
      entry = steps(pipeline, fabric, options.configInstance(), options.config());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("runOptions.config", e.getMessage());
    }
    return new Prepared(plan(pipeline.info.name(), entry.steps(), options.interims(), options.sampleRows(), options.countRows()));
  }

  /** The workflow text did not read as a graph: the pipeline is read again the usual way, for its error. */
  private static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable() {
      super(null, null, false, false);
    }
  }

  /**
   * A run's steps: from the code cache when nothing they are made from changed (then the workflow is not
   * even read as a graph), else read and compiled.
   *
   * @throws IllegalArgumentException when the configuration instance or an override's field does not exist
   */
  static PlanCache.Entry steps(PipelineImpl pipeline, Fabric fabric, Optional<String> instance,
      Map<String, String> overrides) {
    pipeline.project.requireVisible();
    var files = pipeline.project.files();
    String name = pipeline.info.name();
    List<DatasetSpec> datasets = files.datasets(fabric.info().name());
    DatasetLookup base = PipelineImpl.lookup(datasets);
    Map<String, String> settings = fabric.info().spec().settings();
    java.util.function.BiFunction<Configuration, Map<String, String>, DatasetLookup> lookups =
        (configuration, values) -> resolvedLookup(base, files.root(), settings, configuration, values);
    var engine = pipeline.project.engine;
    Optional<String> text = files.workflowText(name);
    if (text.isPresent()) {
      PlanCache.Inputs inputs = new PlanCache.Inputs(engine.version(), name, text.get(), instance, overrides, datasets);
      try {
        return PlanCache.plan(engine.codeCache(), inputs, () -> parse(name, text.get()), lookups);
      } catch (Unreadable e) {
        // fall through: reading the pipeline names what is wrong with its files
      }
    }
    PipelineGraph graph = PipelineImpl.read(files, name);
    Map<String, String> config = graph.configuration().values(instance, overrides);
    return new PlanCache.Entry(graph.configuration(), config,
        SparkSqlCompiler.steps(graph, lookups.apply(graph.configuration(), config), config, Map.of()));
  }

  /** The graph of a workflow text, as {@code ProjectFiles.readPipeline} reads it. */
  private static PipelineGraph parse(String name, String text) {
    com.fasterxml.jackson.databind.JsonNode tree;
    try {
      tree = io.prophecy.sdk.pipeline.WorkflowWriter.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Unreadable();
    }
    if (!tree.isObject()) {
      throw new Unreadable();
    }
    return PipelineGraph.fromWorkflow(name, tree);
  }

  static PipelinePlan plan(String name, List<GemSql> steps, Interims mode, int sampleRows, boolean countRows) {
    List<PipelinePlan.Step> out = new ArrayList<>();
    for (GemSql s : steps) {
      boolean sample = switch (mode) {
        case ALL -> s.kind() != PipelinePlan.Kind.WRITE;
        case SOURCES -> s.kind() == PipelinePlan.Kind.READ;
        case TARGETS -> s.kind() == PipelinePlan.Kind.WRITE;
        case NONE -> false;
      };
      Optional<String> mode2 = s.kind() == PipelinePlan.Kind.WRITE
          ? Optional.of(s.dataset().map(d -> d.options().getOrDefault("writeMode", "overwrite")).orElse("overwrite"))
          : Optional.empty();
      out.add(new PipelinePlan.Step(s.gem(), s.kind(), s.view(), s.sql(), s.dataset(), mode2, sample, s.inputs(), s.probes()));
    }
    return new PipelinePlan(name, out, sampleRows, countRows);
  }

  /**
   * The project's datasets as the fabric sees them: a relative path is relative to the working copy, a
   * path under a prefix of the fabric's {@code pathMappings} ({@code dbfs:/=/data;s3://b/=/mnt/b}) is
   * moved, and {@code ${name}} takes the configuration's value.
   */
  static DatasetLookup resolvedLookup(DatasetLookup base, Path workingCopy, Map<String, String> settings,
      Configuration configuration, Map<String, String> config) {
    Map<String, String> mappings = new TreeMap<>((a, b) -> b.length() != a.length() ? b.length() - a.length() : a.compareTo(b));
    String raw = settings.getOrDefault("pathMappings", "");
    for (String pair : raw.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        mappings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return id -> base.find(id).map(d -> {
      if (d.path().isEmpty()) {
        return d;
      }
      String path = configuration.substitute(d.path().get(), config);
      for (var m : mappings.entrySet()) {
        if (path.startsWith(m.getKey())) {
          path = m.getValue() + (m.getValue().endsWith("/") || path.length() == m.getKey().length()
              || path.charAt(m.getKey().length()) == '/' ? "" : "/") + path.substring(m.getKey().length());
          break;
        }
      }
      if (!path.contains(":/") && !Path.of(path).isAbsolute()) {
        path = workingCopy.resolve(path).normalize().toString();
      }
      return DatasetSpec.builder().from(d).path(path).build();
    });
  }

  private void body(Prepared prepared) {
    try (Connections.Lease lease = FabricImpl.of(fabric).lease();
        ExecutionSession session = lease.connection().openSession(SessionOptions.of(CodeLanguage.sql("spark")))) {
      if (!(session instanceof PlanExecutor executor)) {
        throw new ConnectorException(fabric.info().kind(), "this fabric's sessions do not run pipelines interactively");
      }
      if (cancelled) {
        finish(RunRecord.Status.CANCELLED, null);
        return;
      }
      execution = executor.execute(prepared.plan(), new PlanExecutor.Listener() {
        @Override
        public void stepFinished(PlanExecutor.Outcome o) {
          take(o);
        }
      });
      if (cancelled) {
        execution.cancel();
      }
      PlanExecutor.Result result;
      try {
        result = execution.await(options.timeout());
      } catch (ConnectorException timeout) {
        execution.cancel();
        result = execution.await(Duration.ofMinutes(1));
      }
      result.outcomes().forEach(this::take);
      Failure f = result.failure().map(x -> new Failure(x.gem(), x.field(), x.message())).orElse(null);
      RunRecord.Status s = switch (result.status()) {
        case SUCCEEDED -> RunRecord.Status.SUCCEEDED;
        case CANCELLED -> RunRecord.Status.CANCELLED;
        default -> RunRecord.Status.FAILED;
      };
      if (s == RunRecord.Status.FAILED && f == null) {
        f = new Failure(pipeline.info.name(), Optional.empty(), "the fabric reported a failure without a message");
      }
      finish(s, f);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(RunRecord.Status.CANCELLED, null);
    } catch (RuntimeException e) {
      finish(RunRecord.Status.FAILED, new Failure(pipeline.info.name(), Optional.empty(), Engine.describe(e)));
    }
  }

  private void take(PlanExecutor.Outcome o) {
    metrics.putIfAbsent(o.gem(), GemMetrics.builder().gem(o.gem()).rows(o.rows()).duration(o.duration()).build());
    o.sample().ifPresent(s -> interims.putIfAbsent(o.gem(), new Interim(o.gem(), o.rows(), s)));
  }

  private void finish(RunRecord.Status s, Failure f) {
    this.failure = f;
    this.finished = pipeline.project.engine.clock().instant();
    this.status = s;
    try {
      pipeline.project.engine.db().write(c -> {
        RunHistory.record(c, record());
        if (storesSamples()) {
          storeSamples(c);
        }
        return null;
      });
    } catch (RuntimeException e) {
      LOG.warn("Could not record run {} of pipeline {}: {}", id, pipeline.info.name(), Engine.describe(e));
    } finally {
      done.countDown();
    }
  }

  private boolean storesSamples() {
    return Boolean.parseBoolean(fabric.info().spec().settings().getOrDefault("storeSamples", "false"))
        && !interims.isEmpty();
  }

  /** Samples go to the store only when the fabric opts in, each encrypted and bound to its run and gem. */
  private void storeSamples(java.sql.Connection c) throws java.sql.SQLException {
    var vault = pipeline.project.engine.vault();
    for (Interim i : List.copyOf(interims.values())) {
      byte[] plain;
      try {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("rows", i.rows());
        doc.put("columns", i.sample().columns().stream().map(col -> List.of(col.name(), col.type())).toList());
        doc.put("sample", i.sample().rows());
        plain = JSON.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot encode the sample of gem " + i.gem(), e);
      }
      String ciphertext = vault.encryptToText(plain, sampleAd(id, i.gem()));
      Sql.update(c, "INSERT INTO run_samples (run_id, gem, ciphertext) VALUES (?, ?, ?)", id, i.gem(), ciphertext);
    }
  }

  static String sampleAd(String runId, String gem) {
    return "prophecy:samples:v1:run=" + runId + ":gem=" + gem;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String pipeline() {
    return pipeline.info.name();
  }

  @Override
  public RunRecord.Status status() {
    return status;
  }

  @Override
  public Run await() throws InterruptedException {
    if (!done.await(options.timeout().toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
      cancel();
      done.await(1, TimeUnit.MINUTES);
    }
    return this;
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void cancel() {
    cancelled = true;
    PlanExecutor.PlanExecution e = execution;
    if (e != null) {
      e.cancel();
    }
  }

  @Override
  public List<GemMetrics> metrics() {
    synchronized (metrics) {
      return List.copyOf(metrics.values());
    }
  }

  @Override
  public String metricsTable() {
    List<GemMetrics> ms = metrics();
    int width = Math.max(3, ms.stream().mapToInt(m -> m.gem().length()).max().orElse(3));
    StringBuilder out = new StringBuilder(String.format("%-" + width + "s  %12s  %8s%n", "gem", "rows", "ms"));
    for (GemMetrics m : ms) {
      out.append(String.format("%-" + width + "s  %,12d  %8d%n", m.gem(), m.rows(), m.duration().toMillis()));
    }
    return out.toString();
  }

  @Override
  public Map<String, Interim> interims() {
    synchronized (interims) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(interims));
    }
  }

  @Override
  public Interim interim(String gem) {
    Interim i = interims.get(gem);
    if (i == null) {
      throw new NotFoundException("run " + id + " of pipeline '" + pipeline() + "' has no sample of gem '" + gem
          + "'; samples were taken of " + interims().keySet() + " (interims " + options.interims() + ")");
    }
    return i;
  }

  @Override
  public Optional<Failure> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public RunRecord record() {
    return RunRecord.builder().id(id).projectId(pipeline.project.info.id()).pipeline(pipeline.info.name())
        .fabricId(fabric.info().id()).userId(pipeline.project.team.user.id()).status(status).startedAt(started)
        .finishedAt(Optional.ofNullable(finished)).error(Optional.ofNullable(failure).map(Failure::toString))
        .metrics(metrics()).build();
  }

  @Override
  public String toString() {
    return "Run[" + pipeline() + " " + id + " " + status + "]";
  }

  /** Static checks, then the engine's analysis of every gem, as diagnostics. */
  static List<Diagnostic> analyze(PipelineImpl pipeline, Fabric fabric) {
    List<Diagnostic> out = new ArrayList<>(pipeline.validate());
    if (out.stream().anyMatch(Diagnostic::isError)) {
      return out;
    }
    List<GemSql> steps;
    try {
      steps = steps(pipeline, fabric, Optional.empty(), Map.of()).steps();
    } catch (InvalidInputException e) {
      out.add(Diagnostic.error(null, e.location(), e.getMessage()));
      return out;
    }
    try (Connections.Lease lease = FabricImpl.of(fabric).lease();
        ExecutionSession session = lease.connection().openSession(SessionOptions.of(CodeLanguage.sql("spark")))) {
      if (!(session instanceof PlanExecutor executor)) {
        out.add(Diagnostic.warning(null, "fabric '" + fabric.info().name() + "'", "this fabric cannot analyse pipelines"));
        return out;
      }
      PlanExecutor.Analysis a = executor.analyze(plan(pipeline.info.name(), steps, Interims.NONE, 0, true));
      a.failure().ifPresent(f -> out.add(Diagnostic.error(f.gem(), f.field().orElse(null), f.message())));
    }
    return out;
  }
}
