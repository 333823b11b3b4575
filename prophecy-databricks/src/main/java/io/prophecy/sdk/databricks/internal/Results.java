package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ResultTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Maps a command's {@code results} to core's {@link ExecutionResult}. */
final class Results {
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
  private static final Pattern TAGS = Pattern.compile("<[^>]+>");

  private Results() {}

  /** The status of a command as API 1.2 names it, in core's terms. */
  static ExecutionResult.Status status(String apiStatus) {
    return switch (apiStatus) {
      case "Queued" -> ExecutionResult.Status.QUEUED;
      case "Running", "Cancelling" -> ExecutionResult.Status.RUNNING;
      case "Finished" -> ExecutionResult.Status.SUCCEEDED;
      case "Cancelled" -> ExecutionResult.Status.CANCELLED;
      case "Error" -> ExecutionResult.Status.FAILED;
      default -> throw new IllegalArgumentException(apiStatus);
    };
  }

  /**
   * The result of a command that ended.
   *
   * @param apiStatus Finished, Cancelled or Error
   * @param results the {@code results} object, possibly missing
   */
  static ExecutionResult ended(String apiStatus, JsonNode results) {
    ExecutionResult.Status status = status(apiStatus);
    ExecutionResult.Builder b = ExecutionResult.builder();
    String type = results == null ? "" : results.path("resultType").asText("");
    switch (type) {
      case "text" -> {
        JsonNode data = results.path("data");
        if (!data.isMissingNode() && !data.isNull()) {
          b.text(data.isTextual() ? data.asText() : data.toString());
        }
      }
      case "table" -> b.addTables(table(results));
      case "error" -> {
        // a command whose code failed finishes with an error result
        status = status == ExecutionResult.Status.CANCELLED ? status : ExecutionResult.Status.FAILED;
        String cause = noAnsi(results.path("cause").asText(""));
        String summary = noHtml(results.path("summary").asText(""));
        String data = noAnsi(results.path("data").asText(""));
        String message = !summary.isBlank() ? summary : !data.isBlank() ? data : firstLine(cause);
        b.error(message.isBlank() ? "the command failed without a message" : message.strip());
        if (!cause.isBlank()) {
          b.errorDetail(cause);
        }
      }
      case "image", "images" -> b.text("[" + type + " result: this SDK returns no images; "
          + "write the image to a file or return a table instead]");
      default -> {
        // no results (a cancelled command) or a kind this SDK does not know
      }
    }
    if (status == ExecutionResult.Status.FAILED && !"error".equals(type)) {
      b.error("the command ended with status " + apiStatus);
    }
    return b.status(status).build();
  }

  static ResultTable table(JsonNode results) {
    List<ResultTable.Column> columns = new ArrayList<>();
    for (JsonNode col : results.path("schema")) {
      columns.add(new ResultTable.Column(col.path("name").asText(""), typeName(col.get("type"))));
    }
    ResultTable.Builder t = ResultTable.builder().columns(columns).truncated(results.path("truncated").asBoolean(false));
    for (JsonNode row : results.path("data")) {
      List<Object> values = new ArrayList<>(row.size());
      for (int i = 0; i < row.size(); i++) {
        values.add(value(row.get(i), i < columns.size() ? columns.get(i).type() : ""));
      }
      t.addRows(java.util.Collections.unmodifiableList(values));
    }
    return t.build();
  }

  /**
   * A column type as API 1.2 gives it: a JSON-encoded Spark type ({@code "\"long\""}, or a struct's
   * JSON), or plain text.
   */
  static String typeName(JsonNode type) {
    if (type == null || type.isNull()) {
      return "";
    }
    String text = type.asText("");
    String t = text.trim();
    if (t.startsWith("\"") || t.startsWith("{")) {
      try {
        JsonNode parsed = DatabricksHttp.JSON.readTree(t);
        if (parsed.isTextual()) {
          return parsed.asText();
        }
        if (parsed.isObject() && parsed.has("type")) {
          return parsed.get("type").asText();
        }
      } catch (JsonProcessingException notJson) {
        return text;
      }
    }
    return text;
  }

  /** A cell as a Java value: String, Long, Double, BigDecimal, Boolean, null; nested values as JSON text. */
  static Object value(JsonNode v, String type) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    String t = type.toLowerCase(Locale.ROOT);
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      if (t.startsWith("decimal")) {
        return v.decimalValue();
      }
      if (t.equals("double") || t.equals("float")) {
        return v.doubleValue();
      }
      if (v.isIntegralNumber()) {
        return v.canConvertToLong() ? (Object) v.longValue() : v.decimalValue();
      }
      return v.doubleValue();
    }
    if (v.isTextual()) {
      return v.asText();
    }
    return v.toString();
  }

  private static String noAnsi(String text) {
    return ANSI.matcher(text).replaceAll("");
  }

  /** The summary of an error is HTML (spans colouring the exception's name). */
  private static String noHtml(String text) {
    return TAGS.matcher(noAnsi(text)).replaceAll("")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  private static String firstLine(String text) {
    String s = text.strip();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
