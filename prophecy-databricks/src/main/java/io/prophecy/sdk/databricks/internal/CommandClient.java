package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;

/** The Command Execution API 1.2 calls, one method each. */
final class CommandClient {
  private final DatabricksHttp http;

  CommandClient(DatabricksHttp http) {
    this.http = http;
  }

  String host() {
    return http.workspace().host();
  }

  /** Creates an execution context; not safe to repeat (a second context would leak). */
  String createContext(String clusterId, String language) {
    JsonNode answer = http.post("/api/1.2/contexts/create",
        DatabricksHttp.object().put("clusterId", clusterId).put("language", language),
        "create a " + language + " context on cluster " + clusterId, DatabricksHttp.Repeat.NOT_SAFE);
    return id(answer, "create a context on cluster " + clusterId);
  }

  /** The context's status: Pending, Running or Error. */
  JsonNode contextStatus(String clusterId, String contextId) {
    return http.get("/api/1.2/contexts/status", "read the status of context " + contextId,
        "clusterId", clusterId, "contextId", contextId);
  }

  void destroyContext(String clusterId, String contextId) {
    http.post("/api/1.2/contexts/destroy",
        DatabricksHttp.object().put("clusterId", clusterId).put("contextId", contextId),
        "destroy context " + contextId, DatabricksHttp.Repeat.SAFE);
  }

  /** Starts a command; not safe to repeat (it would run twice). */
  String execute(String clusterId, String contextId, String language, String command, String label) {
    JsonNode answer = http.post("/api/1.2/commands/execute",
        DatabricksHttp.object().put("clusterId", clusterId).put("contextId", contextId).put("language", language)
            .put("command", command),
        "run " + label, DatabricksHttp.Repeat.NOT_SAFE);
    return id(answer, "run " + label);
  }

  JsonNode commandStatus(String clusterId, String contextId, String commandId) {
    return http.get("/api/1.2/commands/status", "read the status of command " + commandId,
        "clusterId", clusterId, "contextId", contextId, "commandId", commandId);
  }

  void cancel(String clusterId, String contextId, String commandId) {
    http.post("/api/1.2/commands/cancel",
        DatabricksHttp.object().put("clusterId", clusterId).put("contextId", contextId).put("commandId", commandId),
        "cancel command " + commandId, DatabricksHttp.Repeat.SAFE);
  }

  private String id(JsonNode answer, String operation) {
    String id = answer.path("id").asText("");
    if (id.isEmpty()) {
      throw new ConnectorException(DatabricksFabricProvider.KIND, "Databricks at " + host() + " answered '"
          + operation + "' without an id; the cluster may be on an unsupported runtime");
    }
    return id;
  }
}
