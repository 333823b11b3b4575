package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A workspace with one cluster that keeps the state of the Command API 1.2: the contexts created and
 * destroyed, the commands and their scripted statuses, cancels. Every request is checked (method, path,
 * headers, body); what is wrong is collected in {@link #problems} for the test to assert empty.
 */
final class FakeCommandApi extends Dispatcher {
  static final String CLUSTER = "0923-164208-meows279";
  /** In a command script: answer the status read with HTTP 500. */
  static final String FAIL = "FAIL";

  final List<String> problems = new CopyOnWriteArrayList<>();
  final List<String> created = new CopyOnWriteArrayList<>();
  final List<String> destroyed = new CopyOnWriteArrayList<>();
  final List<String> cancelled = new CopyOnWriteArrayList<>();

  /** The cluster's state on every read. */
  volatile String clusterState = "RUNNING";
  /** The statuses a new context reports, in order; the last one repeats. */
  volatile List<String> contextScript = List.of("Running");
  /** The statuses a new command reports, in order; the last one repeats. */
  volatile List<String> commandScript = List.of("Finished");
  volatile boolean failContextCreate;
  volatile boolean failExecute;

  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, AtomicInteger> contextReads = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> commandReads = new ConcurrentHashMap<>();
  private final Map<String, String> commandContext = new ConcurrentHashMap<>();
  private final Set<String> cancelReads = ConcurrentHashMap.newKeySet();

  @Override
  public MockResponse dispatch(RecordedRequest r) {
    if (!("Bearer " + MockWorkspace.TOKEN).equals(r.getHeaders().get("Authorization"))) {
      problems.add(r.getTarget() + ": Authorization " + r.getHeaders().get("Authorization"));
    }
    if (!TestPlatform.USER_AGENT.equals(r.getHeaders().get("User-Agent"))) {
      problems.add(r.getTarget() + ": User-Agent " + r.getHeaders().get("User-Agent"));
    }
    String path = r.getUrl().encodedPath();
    String method = r.getMethod();
    try {
      return switch (method + " " + path) {
        case "GET /api/2.0/clusters/get" -> {
          query(r, "cluster_id", CLUSTER);
          String reason = clusterState.equals("ERROR") || clusterState.equals("TERMINATED")
              ? ",\"termination_reason\":{\"code\":\"DRIVER_UNREACHABLE\",\"type\":\"CLOUD_FAILURE\"}" : "";
          yield json(200, "{\"cluster_id\":\"" + CLUSTER + "\",\"cluster_name\":\"shared\",\"state\":\"" + clusterState
              + "\",\"state_message\":\"\"" + reason + "}");
        }
        case "POST /api/1.2/contexts/create" -> {
          JsonNode b = body(r, "clusterId", "language");
          if (!Set.of("sql", "python", "scala").contains(b.path("language").asText())) {
            problems.add("contexts/create: language " + b.path("language"));
          }
          if (failContextCreate) {
            yield json(500, "{\"error\":\"java.lang.RuntimeException: too many execution contexts are open\"}");
          }
          String id = "ctx-" + ids.incrementAndGet();
          created.add(id);
          contextReads.put(id, new AtomicInteger());
          yield json(200, "{\"id\":\"" + id + "\"}");
        }
        case "GET /api/1.2/contexts/status" -> {
          query(r, "clusterId", CLUSTER);
          String id = r.getUrl().queryParameter("contextId");
          if (!alive(id)) {
            yield json(404, "{\"error\":\"ContextNotFound: " + id + "\"}");
          }
          String s = next(contextScript, contextReads.get(id));
          if (s.equals(FAIL)) {
            yield json(500, "{\"error\":\"java.io.IOException: driver lost\"}");
          }
          yield json(200, "{\"id\":\"" + id + "\",\"status\":\"" + s + "\"}");
        }
        case "POST /api/1.2/contexts/destroy" -> {
          JsonNode b = body(r, "clusterId", "contextId");
          String id = b.path("contextId").asText();
          if (!alive(id)) {
            problems.add("destroy of a context that is not open: " + id);
          }
          destroyed.add(id);
          yield json(200, "{\"id\":\"" + id + "\"}");
        }
        case "POST /api/1.2/commands/execute" -> {
          JsonNode b = body(r, "clusterId", "contextId", "language", "command");
          String ctx = b.path("contextId").asText();
          if (!alive(ctx)) {
            yield json(404, "{\"error\":\"ContextNotFound: " + ctx + "\"}");
          }
          if (failExecute) {
            yield json(400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"command is too long\"}");
          }
          String id = "cmd-" + ids.incrementAndGet();
          commandReads.put(id, new AtomicInteger());
          commandContext.put(id, ctx);
          yield json(200, "{\"id\":\"" + id + "\"}");
        }
        case "GET /api/1.2/commands/status" -> {
          query(r, "clusterId", CLUSTER);
          String id = r.getUrl().queryParameter("commandId");
          String ctx = r.getUrl().queryParameter("contextId");
          if (!ctx.equals(commandContext.get(id)) || !alive(ctx)) {
            yield json(404, "{\"error\":\"ContextNotFound: " + ctx + "\"}");
          }
          String s;
          if (cancelled.contains(id)) {
            s = cancelReads.add(id) ? "Cancelling" : "Cancelled";
          } else {
            s = next(commandScript, commandReads.get(id));
          }
          yield switch (s) {
            case FAIL -> json(500, "{\"error\":\"java.io.IOException: driver lost\"}");
            case "Finished" -> json(200, "{\"id\":\"" + id + "\",\"status\":\"Finished\",\"results\":"
                + "{\"resultType\":\"text\",\"data\":\"ok\"}}");
            case "FinishedWithError" -> json(200, "{\"id\":\"" + id + "\",\"status\":\"Finished\",\"results\":"
                + "{\"resultType\":\"error\",\"summary\":\"ZeroDivisionError: division by zero\",\"cause\":\"Traceback\"}}");
            case "Error" -> json(200, "{\"id\":\"" + id + "\",\"status\":\"Error\",\"results\":"
                + "{\"resultType\":\"error\",\"cause\":\"java.lang.OutOfMemoryError\"}}");
            default -> json(200, "{\"id\":\"" + id + "\",\"status\":\"" + s + "\"}");
          };
        }
        case "POST /api/1.2/commands/cancel" -> {
          JsonNode b = body(r, "clusterId", "contextId", "commandId");
          cancelled.add(b.path("commandId").asText());
          yield json(200, "{\"id\":\"" + b.path("commandId").asText() + "\"}");
        }
        default -> {
          problems.add("unexpected " + method + " " + r.getTarget());
          yield json(404, "{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":\"no such endpoint\"}");
        }
      };
    } catch (Exception e) {
      problems.add(r.getTarget() + ": " + e);
      return json(500, "{\"error\":\"the fake failed\"}");
    }
  }

  private boolean alive(String contextId) {
    return contextId != null && created.contains(contextId) && !destroyed.contains(contextId);
  }

  /** The contexts created and not destroyed. */
  List<String> leaked() {
    List<String> open = new ArrayList<>(created);
    open.removeAll(destroyed);
    return open;
  }

  private static String next(List<String> script, AtomicInteger reads) {
    int i = reads.getAndIncrement();
    return script.get(Math.min(i, script.size() - 1));
  }

  private void query(RecordedRequest r, String name, String expected) {
    if (!expected.equals(r.getUrl().queryParameter(name))) {
      problems.add(r.getTarget() + ": query " + name + " is " + r.getUrl().queryParameter(name));
    }
  }

  private JsonNode body(RecordedRequest r, String... fields) throws Exception {
    if (!String.valueOf(r.getHeaders().get("Content-Type")).startsWith("application/json")) {
      problems.add(r.getTarget() + ": Content-Type " + r.getHeaders().get("Content-Type"));
    }
    JsonNode b = DatabricksHttp.JSON.readTree(r.getBody().utf8());
    if (b.size() != fields.length) {
      problems.add(r.getTarget() + ": body has fields " + b + ", expected " + List.of(fields));
    }
    for (String f : fields) {
      if (!b.path(f).isTextual() || b.path(f).asText().isEmpty()) {
        problems.add(r.getTarget() + ": body lacks " + f + ": " + b);
      }
    }
    if (b.has("clusterId") && !CLUSTER.equals(b.path("clusterId").asText())) {
      problems.add(r.getTarget() + ": clusterId " + b.path("clusterId"));
    }
    return b;
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }
}
