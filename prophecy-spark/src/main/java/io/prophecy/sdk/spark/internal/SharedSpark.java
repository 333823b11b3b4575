package io.prophecy.sdk.spark.internal;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.spark.SparkFabricProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * The JVM's one Spark context, shared by every connection and counted by reference: the first lease
 * starts it, the last one to close stops it. A context the host application started itself is used
 * as it is and never stopped.
 */
final class SharedSpark {
  private static final Logger log = LoggerFactory.getLogger(SharedSpark.class);
  private static final String KIND = SparkFabricProvider.KIND;
  private static final List<String> QUIET_LOGGERS = List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop");
  private static final Object LOCK = new Object();
  /** Whether Delta Lake is on the class path (the module depends on it; an application may leave it out). */
  static final boolean DELTA = present("io.delta.sql.DeltaSparkSessionExtension");

  /** The running context, or null. Guarded by LOCK. */
  private static Running running;

  private static final class Running {
    final SparkSession root;
    final SparkSettings settings;
    final boolean foreign;
    final JobGroups groups;
    int leases;

    Running(SparkSession root, SparkSettings settings, boolean foreign, JobGroups groups) {
      this.root = root;
      this.settings = settings;
      this.foreign = foreign;
      this.groups = groups;
    }
  }

  /** One connection's hold on the context. */
  static final class Lease implements AutoCloseable {
    private final Running context;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lease(Running context) {
      this.context = context;
    }

    /** A session over the shared context; callers create their own sessions from it. */
    SparkSession root() {
      return context.root;
    }

    JobGroups groups() {
      return context.groups;
    }

    /** Releases the hold; the last release stops the context. Idempotent. */
    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release(context);
      }
    }
  }

  private SharedSpark() {}

  /**
   * Takes a hold on the context, starting it with these settings when none runs.
   *
   * @throws ConnectorException when the running context's settings differ from the ones asked for
   */
  static Lease acquire(SparkSettings settings) {
    synchronized (LOCK) {
      if (running != null && running.root.sparkContext().isStopped()) {
        log.warn("The shared Spark context was stopped outside the SDK; starting a new one");
        SparkSession.clearDefaultSession();
        running = null;
      }
      if (running == null) {
        running = start(settings);
      } else if (!running.foreign) {
        checkCompatible(running.settings, settings);
      }
      running.leases++;
      return new Lease(running);
    }
  }

  private static void release(Running context) {
    synchronized (LOCK) {
      context.leases--;
      if (context.leases > 0 || running != context) {
        return;
      }
      running = null;
      if (context.foreign) {
        context.root.sparkContext().removeSparkListener(context.groups);
        return;
      }
      log.debug("Stopping the shared Spark context");
      context.root.stop();
      SparkSession.clearDefaultSession();
      SparkSession.clearActiveSession();
    }
  }

  private static Running start(SparkSettings settings) {
    quietLogs();
    Option<SparkSession> existing = SparkSession.getDefaultSession();
    if (existing.isDefined() && !existing.get().sparkContext().isStopped()) {
      SparkSession root = existing.get();
      log.info("Using the Spark context the application started (master {}); fabric settings that belong to"
          + " the context do not apply to it", root.sparkContext().master());
      JobGroups groups = new JobGroups(root.sparkContext());
      root.sparkContext().addSparkListener(groups);
      return new Running(root, settings, true, groups);
    }
    SparkSession.Builder b = SparkSession.builder()
        .master(settings.master())
        .appName(settings.appName())
        .config("spark.ui.enabled", Boolean.toString(settings.ui()))
        .config("spark.sql.warehouse.dir", Path.of(settings.warehouse()).toAbsolutePath().toString())
        .config("spark.local.dir", Path.of(settings.localDir()).toAbsolutePath().toString());
    if (settings.local()) {
      // The host name may resolve off loopback; an in-JVM driver talks to itself only.
      b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
    }
    if (DELTA) {
      // Delta Lake's SQL and catalog support; a fabric's conf may name other extensions instead
      b.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }
    settings.contextConf().forEach(b::config);
    long started = System.nanoTime();
    SparkSession root;
    try {
      root = b.getOrCreate();
    } catch (RuntimeException | LinkageError e) {
      throw new ConnectorException(KIND, "Spark did not start with master " + settings.master() + ": "
          + EngineErrors.message(e) + hint(e), e);
    } finally {
      SparkSession.clearActiveSession();
    }
    log.debug("Spark {} started with master {} in {} ms", root.version(), settings.master(),
        (System.nanoTime() - started) / 1_000_000);
    JobGroups groups = new JobGroups(root.sparkContext());
    root.sparkContext().addSparkListener(groups);
    return new Running(root, settings, false, groups);
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, SharedSpark.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static String hint(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalAccessError || String.valueOf(t.getMessage()).contains("sun.nio.ch")) {
        return ". On Java 17 the JVM needs Spark's --add-opens flags (see the prophecy-spark README)";
      }
    }
    return "";
  }

  private static void checkCompatible(SparkSettings have, SparkSettings want) {
    List<String> diffs = new ArrayList<>();
    if (!have.master().equals(want.master())) {
      diffs.add("master " + have.master() + " (asked: " + want.master() + ")");
    }
    if (have.ui() != want.ui()) {
      diffs.add("ui " + have.ui() + " (asked: " + want.ui() + ")");
    }
    if (want.warehouseGiven() && !samePath(have.warehouse(), want.warehouse())) {
      diffs.add("warehouse " + have.warehouse() + " (asked: " + want.warehouse() + ")");
    }
    if (want.localDirGiven() && !samePath(have.localDir(), want.localDir())) {
      diffs.add("workDirectory " + have.localDir() + " (asked: " + want.localDir() + ")");
    }
    if (!have.contextConf().equals(want.contextConf())) {
      diffs.add("context configuration differs in " + differingKeys(have.contextConf(), want.contextConf()));
    }
    if (!diffs.isEmpty()) {
      throw new ConnectorException(KIND, "a Spark context with other settings is already running in this JVM, and"
          + " Spark allows one per JVM: " + String.join("; ", diffs) + ". Close the connections to the other spark"
          + " fabric first, or give both fabrics the same settings");
    }
  }

  private static boolean samePath(String a, String b) {
    return Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
  }

  /** The keys whose values differ; values may be sensitive, so they are not shown. */
  private static String differingKeys(Map<String, String> a, Map<String, String> b) {
    java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    keys.removeIf(k -> java.util.Objects.equals(a.get(k), b.get(k)));
    return keys.toString();
  }

  /**
   * Sets Spark's, its shaded libraries' and Hadoop's loggers to WARN in Log4j 2, where Spark logs
   * directly and where a host that routes SLF4J to Log4j 2 logs, unless the host configured them.
   * Hosts with another SLF4J binding configure these loggers in their own logging configuration.
   */
  private static void quietLogs() {
    if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
      return;
    }
    var configured = ctx.getConfiguration().getLoggers();
    for (String name : QUIET_LOGGERS) {
      if (!configured.containsKey(name)) {
        Configurator.setLevel(name, Level.WARN);
      }
    }
  }
}
