package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * A workspace with one running cluster whose Command API 1.2 runs SQL commands for real, on a local
 * {@link SparkSession}: each execution context is a session of its own ({@link SparkSession#newSession()},
 * so its temporary views are its own, as a notebook's are), a command runs its statements in order on a
 * thread of its own, in a Spark job group named after the command so that a cancel stops its jobs, and
 * the result of its last statement is answered in API 1.2's shape: a {@code table} result with
 * {@code schema} (JSON-encoded Spark types), {@code data} (rows of JSON values, at most {@link #MAX_ROWS})
 * and {@code truncated}; a failure as an {@code error} result with an HTML {@code summary} and the trace
 * as {@code cause}.
 *
 * <p>Every request is recorded and checked (method, path, query, headers, body fields, cluster id);
 * what is wrong goes to {@link #problems} for the test to assert empty.
 */
final class SparkBackedCommandApi extends Dispatcher implements AutoCloseable {
  static final String CLUSTER = FakeCommandApi.CLUSTER;
  /** Like a cluster's result limit: a result holds at most this many rows, and says it was truncated. */
  static final int MAX_ROWS = 1000;

  /** One request as the fake received it. */
  record Call(String method, String target, JsonNode body) {
    /** The command text of a {@code commands/execute}. */
    String command() {
      return body == null ? null : body.path("command").asText(null);
    }

    @Override
    public String toString() {
      return method + " " + target + (body == null ? "" : " " + body);
    }
  }

  private static final class Command {
    final String id;
    final String context;
    final String sql;
    volatile Future<ObjectNode> result;
    volatile boolean held;
    volatile boolean cancelled;
    final AtomicInteger readsAfterCancel = new AtomicInteger();

    Command(String id, String context, String sql) {
      this.id = id;
      this.context = context;
      this.sql = sql;
    }
  }

  final List<String> problems = new CopyOnWriteArrayList<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  final List<String> created = new CopyOnWriteArrayList<>();
  final List<String> destroyed = new CopyOnWriteArrayList<>();
  final List<String> cancelled = new CopyOnWriteArrayList<>();

  private final SparkSession root;
  private final String token;
  private final String userAgent;
  private final Map<String, SparkSession> contexts = new ConcurrentHashMap<>();
  private final Map<String, Command> commands = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-databricks-command");
    t.setDaemon(true);
    return t;
  });
  /** When set, a command of several statements fails with a parse error, as a cluster that takes one might. */
  volatile boolean oneStatementPerCommand;
  /** Commands whose text matches are not run: they stay Running until cancelled. */
  private volatile Predicate<String> hold = sql -> false;
  private final CountDownLatch heldOne = new CountDownLatch(1);

  SparkBackedCommandApi(SparkSession root, String token, String userAgent) {
    this.root = root;
    this.token = token;
    this.userAgent = userAgent;
  }

  /** Keeps the commands whose text matches Running (not run) until they are cancelled. */
  void holdWhen(Predicate<String> matching) {
    hold = matching;
  }

  /** Waits until a held command has been received. */
  boolean awaitHeld(Duration timeout) throws InterruptedException {
    return heldOne.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The texts of the commands executed, in order. */
  List<String> commandTexts() {
    return calls.stream().filter(c -> c.target().equals("/api/1.2/commands/execute")).map(Call::command).toList();
  }

  /** The contexts created and not destroyed. */
  List<String> leaked() {
    List<String> open = new ArrayList<>(created);
    open.removeAll(destroyed);
    return open;
  }

  /** Waits until every context created has been destroyed. */
  synchronized boolean awaitAllDestroyed(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!leaked().isEmpty()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  private synchronized void destroyedOne() {
    notifyAll();
  }

  @Override
  public MockResponse dispatch(RecordedRequest r) {
    String path = r.getUrl().encodedPath();
    String method = r.getMethod();
    JsonNode body = null;
    try {
      if (method.equals("POST")) {
        body = DatabricksHttp.JSON.readTree(r.getBody().utf8());
      }
    } catch (Exception e) {
      problems.add(r.getTarget() + ": body is not JSON: " + e);
    }
    calls.add(new Call(method, r.getTarget(), body));
    if (!("Bearer " + token).equals(r.getHeaders().get("Authorization"))) {
      problems.add(r.getTarget() + ": Authorization is not the user's token");
    }
    if (!userAgent.equals(r.getHeaders().get("User-Agent"))) {
      problems.add(r.getTarget() + ": User-Agent " + r.getHeaders().get("User-Agent"));
    }
    try {
      return switch (method + " " + path) {
        case "GET /api/2.0/clusters/get" -> {
          query(r, "cluster_id", CLUSTER);
          yield json(200, "{\"cluster_id\":\"" + CLUSTER + "\",\"cluster_name\":\"shared\",\"state\":\"RUNNING\","
              + "\"state_message\":\"\"}");
        }
        case "POST /api/1.2/contexts/create" -> {
          fields(r, body, "clusterId", "language");
          if (!body.path("language").asText().equals("sql")) {
            problems.add("contexts/create: language " + body.path("language") + "; this fake runs SQL only");
          }
          String id = "ctx-" + ids.incrementAndGet();
          contexts.put(id, root.newSession());
          created.add(id);
          yield json(200, "{\"id\":\"" + id + "\"}");
        }
        case "GET /api/1.2/contexts/status" -> {
          query(r, "clusterId", CLUSTER);
          String id = r.getUrl().queryParameter("contextId");
          if (!contexts.containsKey(id)) {
            yield json(404, "{\"error\":\"ContextNotFound: " + id + "\"}");
          }
          yield json(200, "{\"id\":\"" + id + "\",\"status\":\"Running\"}");
        }
        case "POST /api/1.2/contexts/destroy" -> {
          fields(r, body, "clusterId", "contextId");
          String id = body.path("contextId").asText();
          if (contexts.remove(id) == null) {
            problems.add("destroy of a context that is not open: " + id);
          }
          destroyed.add(id);
          destroyedOne();
          yield json(200, "{\"id\":\"" + id + "\"}");
        }
        case "POST /api/1.2/commands/execute" -> {
          fields(r, body, "clusterId", "contextId", "language", "command");
          String ctx = body.path("contextId").asText();
          SparkSession session = contexts.get(ctx);
          if (session == null) {
            yield json(404, "{\"error\":\"ContextNotFound: " + ctx + "\"}");
          }
          if (!body.path("language").asText().equals("sql")) {
            problems.add("commands/execute: language " + body.path("language"));
          }
          String id = "cmd-" + ids.incrementAndGet();
          Command c = new Command(id, ctx, body.path("command").asText());
          commands.put(id, c);
          if (hold.test(c.sql)) {
            c.held = true;
            heldOne.countDown();
          } else {
            c.result = pool.submit(() -> run(session, c));
          }
          yield json(200, "{\"id\":\"" + id + "\"}");
        }
        case "GET /api/1.2/commands/status" -> {
          query(r, "clusterId", CLUSTER);
          String id = r.getUrl().queryParameter("commandId");
          Command c = commands.get(id);
          String ctx = r.getUrl().queryParameter("contextId");
          if (c == null || !c.context.equals(ctx) || !contexts.containsKey(ctx)) {
            yield json(404, "{\"error\":\"ContextNotFound: " + ctx + "\"}");
          }
          yield json(200, status(c).toString());
        }
        case "POST /api/1.2/commands/cancel" -> {
          fields(r, body, "clusterId", "contextId", "commandId");
          String id = body.path("commandId").asText();
          Command c = commands.get(id);
          if (c == null) {
            problems.add("cancel of a command that does not exist: " + id);
          } else {
            c.cancelled = true;
            root.sparkContext().cancelJobGroup(id);
          }
          cancelled.add(id);
          yield json(200, "{\"id\":\"" + id + "\"}");
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

  private ObjectNode status(Command c) throws Exception {
    ObjectNode out = DatabricksHttp.JSON.createObjectNode().put("id", c.id);
    if (c.cancelled) {
      boolean stillRunning = !c.held && !c.result.isDone();
      // the first read after a cancel says Cancelling, as a cluster does while it stops the command
      out.put("status", stillRunning || c.readsAfterCancel.getAndIncrement() == 0 ? "Cancelling" : "Cancelled");
      return out;
    }
    if (c.held || !c.result.isDone()) {
      return out.put("status", "Running");
    }
    out.put("status", "Finished");
    out.set("results", c.result.get());
    return out;
  }

  /** Runs a command's statements in order; the last one's result is the command's. */
  private ObjectNode run(SparkSession session, Command c) {
    root.sparkContext().setJobGroup(c.id, "command " + c.id, true);
    try {
      List<String> statements = statements(c.sql);
      if (oneStatementPerCommand && statements.size() > 1) {
        return error(new IllegalArgumentException("ParseException: [PARSE_SYNTAX_ERROR] Syntax error at or near ';'"
            + " (this cluster takes one statement per command)"));
      }
      Dataset<Row> last = null;
      for (String statement : statements) {
        last = session.sql(statement);
      }
      return last == null ? text("") : table(last);
    } catch (Throwable e) {
      return error(e);
    } finally {
      root.sparkContext().clearJobGroup();
    }
  }

  private static ObjectNode text(String data) {
    return DatabricksHttp.JSON.createObjectNode().put("resultType", "text").put("data", data);
  }

  private static ObjectNode table(Dataset<Row> df) {
    ObjectNode out = DatabricksHttp.JSON.createObjectNode().put("resultType", "table");
    ArrayNode schema = out.putArray("schema");
    for (StructField f : df.schema().fields()) {
      schema.addObject().put("name", f.name()).put("type", f.dataType().json()).put("metadata", "{}");
    }
    List<Row> rows = df.schema().isEmpty() ? List.of() : df.limit(MAX_ROWS + 1).collectAsList();
    ArrayNode data = out.putArray("data");
    for (Row row : rows.subList(0, Math.min(rows.size(), MAX_ROWS))) {
      ArrayNode values = data.addArray();
      for (int i = 0; i < row.length(); i++) {
        values.add(value(row.get(i)));
      }
    }
    out.put("truncated", rows.size() > MAX_ROWS);
    out.put("isJsonSchema", true);
    return out;
  }

  private static JsonNode value(Object v) {
    var f = DatabricksHttp.JSON.getNodeFactory();
    if (v == null) {
      return f.nullNode();
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return f.numberNode(((Number) v).intValue());
    }
    if (v instanceof Long l) {
      return f.numberNode(l);
    }
    if (v instanceof Double d) {
      return f.numberNode(d);
    }
    if (v instanceof Float x) {
      return f.numberNode(x);
    }
    if (v instanceof BigDecimal d) {
      return f.numberNode(d);
    }
    if (v instanceof Boolean b) {
      return f.booleanNode(b);
    }
    return f.textNode(v.toString());
  }

  /** An error result as a cluster gives it: the exception's name in an HTML span, and the trace. */
  private static ObjectNode error(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String message = String.valueOf(e.getMessage());
    return DatabricksHttp.JSON.createObjectNode().put("resultType", "error")
        .put("summary", "<span class='ansi-red-fg'>" + e.getClass().getSimpleName() + "</span>: "
            + message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        .put("cause", trace.toString());
  }

  /** Splits on {@code ;} outside quotes, backticks and comments. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char ch = sql.charAt(i);
      if (quote != 0) {
        cur.append(ch);
        if (ch == '\\' && quote != '`' && i + 1 < sql.length()) {
          cur.append(sql.charAt(++i));
        } else if (ch == quote) {
          quote = 0;
        }
      } else if (ch == '\'' || ch == '"' || ch == '`') {
        quote = ch;
        cur.append(ch);
      } else if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        while (i < sql.length() && sql.charAt(i) != '\n') {
          i++;
        }
        cur.append('\n');
      } else if (ch == ';') {
        if (!cur.toString().isBlank()) {
          out.add(cur.toString().strip());
        }
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return out;
  }

  private void query(RecordedRequest r, String name, String expected) {
    if (!expected.equals(r.getUrl().queryParameter(name))) {
      problems.add(r.getTarget() + ": query " + name + " is " + r.getUrl().queryParameter(name));
    }
  }

  private void fields(RecordedRequest r, JsonNode b, String... fields) {
    if (!String.valueOf(r.getHeaders().get("Content-Type")).startsWith("application/json")) {
      problems.add(r.getTarget() + ": Content-Type " + r.getHeaders().get("Content-Type"));
    }
    if (b == null || b.size() != fields.length) {
      problems.add(r.getTarget() + ": body has fields " + b + ", expected " + List.of(fields));
      return;
    }
    for (String f : fields) {
      if (!b.path(f).isTextual() || b.path(f).asText().isEmpty()) {
        problems.add(r.getTarget() + ": body lacks " + f + ": " + b);
      }
    }
    if (!CLUSTER.equals(b.path("clusterId").asText())) {
      problems.add(r.getTarget() + ": clusterId " + b.path("clusterId"));
    }
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  /** Stops the fake's command threads; the Spark session belongs to the test. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
