package io.prophecy.sdk.internal;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.GemMetrics;
import io.prophecy.sdk.model.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Run history and per-gem metrics in the metadata store. */
public final class RunHistory {
  private RunHistory() {}

  /** Stores a run and its metrics, replacing an earlier record of the same run (a finished run after a started one). */
  public static void record(Connection c, RunRecord run) throws SQLException {
    Sql.update(c, "DELETE FROM run_metrics WHERE run_id = ?", run.id());
    Sql.update(c, "DELETE FROM runs WHERE id = ?", run.id());
    Sql.update(c, "INSERT INTO runs (id, project_id, pipeline, fabric_id, user_id, status, started_at, finished_at, error)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        run.id(), run.projectId(), run.pipeline(), run.fabricId(), run.userId(), run.status().name(),
        run.startedAt().toEpochMilli(), run.finishedAt().map(Instant::toEpochMilli).orElse(null), run.error().orElse(null));
    for (GemMetrics m : run.metrics()) {
      Sql.update(c, "INSERT INTO run_metrics (run_id, gem, port, row_count, duration_ms) VALUES (?, ?, ?, ?, ?)",
          run.id(), m.gem(), m.port(), m.rows(), m.duration().toMillis());
    }
  }

  /** The newest runs of a project, newest first. */
  public static List<RunRecord> list(Connection c, String projectId, int limit) throws SQLException {
    return list(c, projectId, java.util.Optional.empty(), limit);
  }

  /** The newest runs of a project's pipeline (or of all its pipelines), newest first. */
  public static List<RunRecord> list(Connection c, String projectId, java.util.Optional<String> pipeline, int limit)
      throws SQLException {
    if (limit < 1 || limit > 10_000) {
      throw new InvalidInputException("limit", "must be between 1 and 10000, was " + limit);
    }
    Map<String, RunRecord.Builder> runs = new LinkedHashMap<>();
    for (var b : Sql.list(c, "SELECT id, project_id, pipeline, fabric_id, user_id, status, started_at, finished_at, error"
            + " FROM runs WHERE project_id = ?" + (pipeline.isPresent() ? " AND pipeline = ?" : "")
            + " ORDER BY started_at DESC, id LIMIT ?",
        rs -> {
          long finished = rs.getLong(8);
          boolean hasFinished = !rs.wasNull();
          return RunRecord.builder().id(rs.getString(1)).projectId(rs.getString(2)).pipeline(rs.getString(3))
              .fabricId(rs.getString(4)).userId(rs.getString(5)).status(RunRecord.Status.valueOf(rs.getString(6)))
              .startedAt(Instant.ofEpochMilli(rs.getLong(7)))
              .finishedAt(hasFinished ? Optional.of(Instant.ofEpochMilli(finished)) : Optional.empty())
              .error(Optional.ofNullable(rs.getString(9)));
        }, pipeline.isPresent() ? new Object[] {projectId, pipeline.get(), limit} : new Object[] {projectId, limit})) {
      runs.put(b.build().id(), b);
    }
    for (var entry : runs.entrySet()) {
      entry.getValue().addAllMetrics(Sql.list(c,
          "SELECT gem, port, row_count, duration_ms FROM run_metrics WHERE run_id = ? ORDER BY gem, port",
          rs -> GemMetrics.builder().gem(rs.getString(1)).port(rs.getString(2)).rows(rs.getLong(3))
              .duration(Duration.ofMillis(rs.getLong(4))).build(),
          entry.getKey()));
    }
    List<RunRecord> out = new ArrayList<>();
    runs.values().forEach(b -> out.add(b.build()));
    return out;
  }
}
