package io.prophecy.sdk.spark.internal;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.spark.SparkFabricProvider;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.SessionOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;

/**
 * One user's connection to a spark fabric: a hold on the JVM's shared Spark context and one
 * {@link SparkSession} of its own over it, from which its execution sessions are made.
 */
public final class SparkFabricConnection implements FabricConnection {
  /** Session option: the most rows a SQL result table holds (default {@value #DEFAULT_MAX_ROWS}). */
  public static final String MAX_RESULT_ROWS = "prophecy.maxResultRows";
  static final int DEFAULT_MAX_ROWS = 1000;

  private final SparkSettings settings;
  private final SharedSpark.Lease lease;
  private final SparkSession spark;
  private final Map<String, String> sessionConf;
  private final Set<SparkExecutionSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The statement sessions of plan runs without counts, by their settings (at most {@value #STATEMENT_SESSIONS}). */
  private final Map<Map<String, String>, SourceViews> statementSessions = new LinkedHashMap<>();
  static final int STATEMENT_SESSIONS = 8;

  private SparkFabricConnection(SparkSettings settings, SharedSpark.Lease lease) {
    this.settings = settings;
    this.lease = lease;
    Map<String, String> conf = new LinkedHashMap<>();
    // Results carry java.time values (LocalDate, Instant) rather than java.sql ones.
    conf.put("spark.sql.datetime.java8API.enabled", "true");
    conf.putAll(settings.sessionConf());
    this.sessionConf = Map.copyOf(conf);
    SparkSession s = lease.root().newSession();
    sessionConf.forEach((k, v) -> s.conf().set(k, v));
    this.spark = s;
  }

  /**
   * Takes a hold on the shared context (starting it when none runs) and opens this connection's
   * session.
   */
  public static SparkFabricConnection open(SparkSettings settings) {
    SharedSpark.Lease lease = SharedSpark.acquire(settings);
    try {
      return new SparkFabricConnection(settings, lease);
    } catch (RuntimeException e) {
      lease.close();
      throw new ConnectorException(SparkFabricProvider.KIND, "the Spark session could not be set up: "
          + EngineErrors.message(e), e);
    }
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.INTERACTIVE_SQL);
  }

  /**
   * Opens a Spark SQL session with its own temporary views and SQL settings. {@code options.conf()}
   * takes runtime Spark SQL settings ({@code spark.sql.*}) and {@value #MAX_RESULT_ROWS}.
   *
   * @throws ConnectorException when the language is not Spark SQL or the connection is closed
   * @throws InvalidInputException when a conf entry cannot be set on a session
   */
  @Override
  public ExecutionSession openSession(SessionOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed.get()) {
      throw new ConnectorException(SparkFabricProvider.KIND, "this connection is closed; connect again");
    }
    CodeLanguage lang = options.language();
    if (lang.kind() != CodeLanguage.Kind.SQL || !lang.dialect().orElse("").equalsIgnoreCase("spark")) {
      throw new ConnectorException(SparkFabricProvider.KIND, "this fabric runs Spark SQL (SQL(spark)) only; "
          + lang + " sessions need a fabric with the matching capability");
    }
    int maxRows = DEFAULT_MAX_ROWS;
    Map<String, String> conf = new LinkedHashMap<>(sessionConf);
    for (var e : options.conf().entrySet()) {
      String key = e.getKey();
      if (key.equals(MAX_RESULT_ROWS)) {
        maxRows = positiveInt("session.conf." + key, e.getValue());
      } else if (SparkSettings.isRuntimeSqlConf(key)) {
        conf.put(key, e.getValue());
      } else {
        throw new InvalidInputException("session.conf." + key, "a session can only set runtime Spark SQL settings"
            + " (spark.sql.*) and " + MAX_RESULT_ROWS + "; put other Spark configuration in the fabric's '"
            + SparkFabricProvider.CONF + "' setting");
      }
    }
    SparkSession s = spark.newSession();
    try {
      conf.forEach((k, v) -> s.conf().set(k, v));
    } catch (RuntimeException ex) {
      throw new InvalidInputException("session.conf", "Spark refused a setting: " + EngineErrors.message(ex), ex);
    }
    SparkExecutionSession session = new SparkExecutionSession(this, s, conf, lease.groups(), maxRows);
    sessions.add(session);
    if (closed.get()) {
      session.close();
      throw new ConnectorException(SparkFabricProvider.KIND, "this connection is closed; connect again");
    }
    return session;
  }

  private static int positiveInt(String field, String value) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInputException(field, "'" + value + "' is not a positive whole number");
  }

  /**
   * The session in which plan runs with these settings run without counts, with the sources it keeps
   * ({@link SourceViews}); null when this connection already keeps {@value #STATEMENT_SESSIONS} such
   * sessions for other settings, and then a run uses a session of its own.
   */
  SourceViews statementSession(Map<String, String> conf) {
    Map<String, String> key = Map.copyOf(conf);
    synchronized (statementSessions) {
      SourceViews views = statementSessions.get(key);
      if (views == null && statementSessions.size() < STATEMENT_SESSIONS && !closed.get()) {
        SparkSession s = spark.newSession();
        key.forEach((k, v) -> s.conf().set(k, v));
        views = new SourceViews(s);
        statementSessions.put(key, views);
      }
      return views;
    }
  }

  void forget(SparkExecutionSession session) {
    sessions.remove(session);
  }

  /** This connection's Spark session, the parent of its execution sessions. */
  public SparkSession spark() {
    return spark;
  }

  /** The settings the connection was opened with. */
  public SparkSettings settings() {
    return settings;
  }

  @Override
  public String kind() {
    return SparkFabricProvider.KIND;
  }

  /** Closes the connection's sessions and releases its hold on the Spark context. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      for (SparkExecutionSession s : List.copyOf(sessions)) {
        s.close();
      }
      synchronized (statementSessions) {
        // the kept sources hold file listings only, no data: dropping the views releases them
        statementSessions.values().forEach(SourceViews::clear);
        statementSessions.clear();
      }
    } finally {
      lease.close();
    }
  }

  @Override
  public String toString() {
    return "SparkFabricConnection{master=" + settings.master() + (closed.get() ? ", closed" : "") + "}";
  }
}
