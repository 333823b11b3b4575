package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.databricks.Cluster;
import io.prophecy.sdk.databricks.ClusterListener;
import io.prophecy.sdk.databricks.ClusterSpec;
import io.prophecy.sdk.databricks.ClusterState;
import io.prophecy.sdk.databricks.Clusters;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.databricks.JobSizes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Clusters API 2.0 over one connection's HTTP client. */
public final class ClustersClient implements Clusters {
  private static final Logger LOG = LoggerFactory.getLogger(ClustersClient.class);
  /** The first wait between two reads of a starting cluster, and the longest. */
  static final Duration FIRST_POLL = Duration.ofSeconds(1);
  static final Duration MAX_POLL = Duration.ofSeconds(10);

  private final DatabricksHttp http;
  private final Platform.Sleeper sleeper;
  private final Clock clock;
  private final JobSizes presets;

  public ClustersClient(DatabricksHttp http, Platform.Sleeper sleeper, Clock clock) {
    this(http, sleeper, clock, JobSizes.none());
  }

  public ClustersClient(DatabricksHttp http, Platform.Sleeper sleeper, Clock clock, JobSizes presets) {
    this.http = http;
    this.sleeper = sleeper;
    this.clock = clock;
    this.presets = presets;
  }

  @Override
  public List<Cluster> list() {
    List<Cluster> clusters = new ArrayList<>();
    String page = null;
    do {
      JsonNode answer = page == null ? http.get("/api/2.0/clusters/list", "list clusters")
          : http.get("/api/2.0/clusters/list", "list clusters", "page_token", page);
      for (JsonNode c : answer.path("clusters")) {
        clusters.add(read(c));
      }
      page = answer.path("next_page_token").asText("");
      page = page.isEmpty() ? null : page;
    } while (page != null);
    return List.copyOf(clusters);
  }

  @Override
  public Cluster get(String clusterId) {
    checkId(clusterId);
    return read(http.get("/api/2.0/clusters/get", "get cluster " + clusterId, "cluster_id", clusterId));
  }

  @Override
  public String create(ClusterSpec spec) {
    Objects.requireNonNull(spec, "spec");
    ObjectNode body = DatabricksHttp.object()
        .put("cluster_name", spec.name())
        .put("spark_version", spec.sparkVersion())
        .put("node_type_id", spec.nodeTypeId())
        .put("num_workers", spec.numWorkers())
        .put("autotermination_minutes", spec.autoterminationMinutes());
    if (!spec.sparkConf().isEmpty()) {
      ObjectNode conf = body.putObject("spark_conf");
      new java.util.TreeMap<>(spec.sparkConf()).forEach(conf::put);
    }
    return create(spec.name(), body);
  }

  @Override
  public String createFromPreset(String preset, String clusterName) {
    Objects.requireNonNull(preset, "preset");
    if (clusterName == null || clusterName.isBlank()) {
      throw new io.prophecy.sdk.InvalidInputException("clusterName", "no cluster name given; name the cluster,"
          + " such as alice-dev");
    }
    ObjectNode fields = presets.cluster(preset, "preset");
    ObjectNode body = DatabricksHttp.object().put("cluster_name", clusterName);
    body.setAll(fields);
    if (!body.has("autotermination_minutes")) {
      body.put("autotermination_minutes", ClusterSpec.DEFAULT_AUTOTERMINATION_MINUTES);
    }
    return create(clusterName, body);
  }

  private String create(String name, ObjectNode body) {
    JsonNode answer = http.post("/api/2.0/clusters/create", body, "create cluster " + name,
        DatabricksHttp.Repeat.NOT_SAFE);
    String id = answer.path("cluster_id").asText("");
    if (id.isEmpty()) {
      throw new ConnectorException(DatabricksFabricProvider.KIND, "Databricks at " + http.workspace().host()
          + " created cluster " + name + " but gave no cluster_id; look for it in the workspace");
    }
    LOG.info("databricks: created cluster {} ({})", name, id);
    return id;
  }

  @Override
  public void start(String clusterId) {
    checkId(clusterId);
    http.post("/api/2.0/clusters/start", DatabricksHttp.object().put("cluster_id", clusterId),
        "start cluster " + clusterId, DatabricksHttp.Repeat.SAFE);
  }

  @Override
  public Cluster awaitRunning(String clusterId, Duration timeout, ClusterListener listener)
      throws InterruptedException {
    return await(clusterId, timeout, listener, clock.instant(), null);
  }

  @Override
  public Cluster ensureRunning(String clusterId, Duration timeout, ClusterListener listener)
      throws InterruptedException {
    Instant started = clock.instant();
    Cluster c = call(() -> get(clusterId));
    Cluster first = c;
    if (c.state() == ClusterState.TERMINATED) {
      first = null; // read again after the start
      LOG.info("databricks: starting cluster {} ({}), which is {}", c.name(), c.id(), c.state());
      listener.onProgress(c, Duration.ZERO);
      try {
        call(() -> {
          start(clusterId);
          return null;
        });
      } catch (ConflictException e) {
        // INVALID_STATE: someone else started it between our read and our start; wait for it
        LOG.debug("databricks: start of {} answered {}; waiting for it", clusterId, e.getMessage());
      }
    } else if (c.state() == ClusterState.TERMINATING) {
      throw new ConnectorException(DatabricksFabricProvider.KIND, "cluster " + describe(c) + " is TERMINATING"
          + reason(c) + "; start it again once it is TERMINATED, or choose another cluster");
    }
    return await(clusterId, timeout, listener, started, first);
  }

  /** Waits; {@code first} is a reading just made, or null to read first. */
  private Cluster await(String clusterId, Duration timeout, ClusterListener listener, Instant started, Cluster first)
      throws InterruptedException {
    checkId(clusterId);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(listener, "listener");
    Instant deadline = started.plus(timeout);
    Duration poll = FIRST_POLL;
    Cluster last = null;
    Cluster reading = first;
    while (true) {
      Cluster c = reading != null ? reading : call(() -> get(clusterId));
      reading = null;
      Duration waited = Duration.between(started, clock.instant());
      if (last == null || last.state() != c.state() || !last.stateMessage().equals(c.stateMessage())) {
        LOG.info("databricks: cluster {} is {}{} after {} s", describe(c), c.state(),
            c.stateMessage().isEmpty() ? "" : " (" + c.stateMessage() + ")", waited.toSeconds());
        listener.onProgress(c, waited);
      }
      last = c;
      switch (c.state()) {
        case RUNNING:
          return c;
        case TERMINATED:
        case TERMINATING:
        case ERROR:
          throw new ConnectorException(DatabricksFabricProvider.KIND, "cluster " + describe(c) + " is " + c.state()
              + " instead of starting" + reason(c) + ". Look at the cluster's event log in the workspace, fix the"
              + " cause and start it again");
        default:
          break;
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        throw new ConnectorException(DatabricksFabricProvider.KIND, "cluster " + describe(c) + " is still "
            + c.state() + " after " + waited.toSeconds() + " s, the wait allowed (fabric setting "
            + DatabricksFabricProvider.CLUSTER_START_TIMEOUT_SECONDS + " or the session's start timeout); try"
            + " again later or raise it");
      }
      Duration left = Duration.between(now, deadline);
      sleeper.sleep(poll.compareTo(left) < 0 ? poll : left);
      poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
    }
  }

  /** Runs a call, turning an interrupted HTTP call into an {@link InterruptedException}. */
  private static <T> T call(java.util.function.Supplier<T> call) throws InterruptedException {
    try {
      return call.get();
    } catch (InterruptedCallException e) {
      throw e.asInterruptedException();
    }
  }

  private static void checkId(String clusterId) {
    if (clusterId == null || clusterId.isBlank()) {
      throw new io.prophecy.sdk.InvalidInputException("clusterId", "no cluster id given; name the cluster, such as"
          + " 0923-164208-meows279, in the fabric setting " + DatabricksFabricProvider.CLUSTER_ID);
    }
  }

  private static String describe(Cluster c) {
    return c.name().isEmpty() || c.name().equals(c.id()) ? c.id() : c.name() + " (" + c.id() + ")";
  }

  private static String reason(Cluster c) {
    StringBuilder sb = new StringBuilder();
    c.terminationReason().ifPresent(r -> sb.append(": ").append(r));
    if (!c.stateMessage().isEmpty()) {
      sb.append(sb.length() == 0 ? ": " : "; ").append(c.stateMessage());
    }
    return sb.toString();
  }

  static Cluster read(JsonNode c) {
    String id = c.path("cluster_id").asText("");
    return new Cluster(id, c.path("cluster_name").asText(id), ClusterState.parse(c.path("state").asText(null)),
        c.path("state_message").asText(""), c.path("spark_version").asText(""), terminationReason(c));
  }

  private static Optional<String> terminationReason(JsonNode c) {
    JsonNode r = c.get("termination_reason");
    if (r == null || !r.isObject() || r.path("code").asText("").isEmpty()) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder(r.path("code").asText());
    String type = r.path("type").asText("");
    if (!type.isEmpty()) {
      sb.append(" (").append(type).append(')');
    }
    JsonNode params = r.get("parameters");
    if (params != null && params.isObject() && params.size() > 0) {
      StringJoiner j = new StringJoiner(", ", ": ", "");
      for (Map.Entry<String, JsonNode> e : params.properties()) {
        j.add(e.getKey() + "=" + e.getValue().asText());
      }
      sb.append(j);
    }
    return Optional.of(sb.toString());
  }
}
