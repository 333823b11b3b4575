package io.prophecy.sdk.databricks.internal;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.databricks.ClusterListener;
import io.prophecy.sdk.databricks.Clusters;
import io.prophecy.sdk.databricks.DatabricksConnection;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.databricks.DatabricksScheduler;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.SessionOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's connection to one workspace: its HTTP client, its clusters and its sessions, and the
 * registry of open contexts whose shutdown hook lives as long as the connection.
 */
public final class DatabricksFabricConnection implements DatabricksConnection {
  private static final Logger LOG = LoggerFactory.getLogger(DatabricksFabricConnection.class);
  private static final Set<Capability> CAPABILITIES = Set.of(Capability.INTERACTIVE_SQL,
      Capability.INTERACTIVE_PYTHON, Capability.INTERACTIVE_SCALA, Capability.CLUSTERS, Capability.JOBS);

  private final DatabricksSettings settings;
  private final DatabricksHttp http;
  private final ClustersClient clusters;
  private final CommandClient commands;
  private final JobsClient jobs;
  private final ContextRegistry registry;
  private final Platform platform;
  private final Clock clock;
  private final Set<CommandSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private DatabricksFabricConnection(DatabricksSettings settings, DatabricksAuth auth, ConnectorContext context,
      Platform platform) {
    this.settings = settings;
    this.platform = platform;
    this.clock = context.clock();
    this.http = new DatabricksHttp(settings, auth, context.userAgent(), platform.sleeper(), clock);
    this.clusters = new ClustersClient(http, platform.sleeper(), clock, settings.jobSizes());
    this.jobs = new JobsClient(http, settings.jobSizes());
    this.commands = new CommandClient(http);
    this.registry = new ContextRegistry(commands, platform.shutdownHooks());
  }

  /** Opens a connection; makes no call yet. */
  public static DatabricksFabricConnection open(DatabricksSettings settings, DatabricksAuth auth,
      ConnectorContext context, Platform platform) {
    return new DatabricksFabricConnection(settings, auth, context, platform);
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public String kind() {
    return DatabricksFabricProvider.KIND;
  }

  @Override
  public Clusters clusters() {
    checkOpen();
    return clusters;
  }

  /** The workspace's Jobs API 2.1. */
  @Override
  public DatabricksScheduler scheduler() {
    checkOpen();
    return jobs;
  }

  /** Opens a session, logging the cluster's progress. */
  @Override
  public ExecutionSession openSession(SessionOptions options) {
    return openSession(options, (cluster, waited) -> LOG.debug("databricks: waiting for cluster {}: {} after {} s",
        cluster.id(), cluster.state(), waited.toSeconds()));
  }

  /**
   * Starts the cluster if it is terminated, waits until it runs, creates a context for the session's
   * language and waits until it is ready, all within the session's start timeout (else the fabric's).
   *
   * @throws InvalidInputException when no cluster is named, or the language is not one Databricks runs
   * @throws ConnectorException when the cluster or the context fails to start, or in time; an interrupted
   *     open throws {@link InterruptedCallException} with the thread's interrupt flag set
   */
  @Override
  public ExecutionSession openSession(SessionOptions options, ClusterListener listener) {
    checkOpen();
    for (String key : options.conf().keySet()) {
      if (!key.equals(DatabricksFabricProvider.CLUSTER_ID)) {
        throw new InvalidInputException("session.conf." + key, "a Databricks session takes only the conf "
            + DatabricksFabricProvider.CLUSTER_ID + " so far; set Spark configuration on the cluster, or run"
            + " SET " + key + "=... as the first code unit");
      }
    }
    String clusterId = options.conf().getOrDefault(DatabricksFabricProvider.CLUSTER_ID, "").trim();
    if (clusterId.isEmpty()) {
      clusterId = settings.clusterId().orElseThrow(() -> new InvalidInputException(
          "fabric.settings." + DatabricksFabricProvider.CLUSTER_ID, "no cluster to run the session on: name an"
              + " all-purpose cluster in the fabric setting " + DatabricksFabricProvider.CLUSTER_ID
              + " or in the session conf " + DatabricksFabricProvider.CLUSTER_ID));
    }
    CommandSession.apiLanguage(options.language());
    Duration timeout = options.startTimeout().orElse(settings.clusterStartTimeout());
    Instant deadline = clock.instant().plus(timeout);
    try {
      clusters.ensureRunning(clusterId, timeout, listener);
      CommandSession[] made = new CommandSession[1];
      CommandSession session = CommandSession.open(commands, registry, clusterId, options.language(), deadline,
          platform.sleeper(), clock, () -> {
            if (made[0] != null) {
              sessions.remove(made[0]);
            }
          });
      made[0] = session;
      sessions.add(session);
      if (closed.get()) { // closed while we were opening: this session must not outlive it
        session.close();
        checkOpen();
      }
      return session;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedCallException("interrupted while opening a session on cluster " + clusterId, e);
    }
  }

  /** The contexts open now, for tests and diagnostics. */
  Set<ContextRegistry.Context> openContexts() {
    return registry.open();
  }

  ContextRegistry registry() {
    return registry;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this Databricks connection is closed; connect again");
    }
  }

  /**
   * Closes every session (destroying its context), removes the shutdown hook and releases the HTTP
   * client. A session whose context could not be destroyed is thrown after all the others are closed; the
   * hook then stays, as long as any context of this connection is still open, to try again at shutdown.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<RuntimeException> failures = new ArrayList<>();
    for (CommandSession s : List.copyOf(sessions)) {
      try {
        s.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    Set<ContextRegistry.Context> left = registry.open();
    if (left.isEmpty()) {
      registry.close();
    } else {
      // a context whose destroy failed, now or before: the hook stays to try once more when the JVM stops
      LOG.warn("databricks: {} execution context(s) on {} could not be destroyed; the shutdown hook stays to try"
          + " again when the JVM stops", left.size(), settings.workspace().host());
    }
    http.close();
    if (!failures.isEmpty()) {
      ConnectorException e = new ConnectorException(DatabricksFabricProvider.KIND, failures.size() + " execution"
          + " context(s) could not be destroyed while closing the connection to " + settings.workspace().host()
          + "; the JVM's shutdown hook tries again, else they end when the cluster restarts", failures.get(0));
      failures.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "DatabricksConnection[" + settings.workspace().host() + (closed.get() ? ", closed" : "") + "]";
  }
}
