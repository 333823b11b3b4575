package io.prophecy.sdk.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.Fabrics;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.StoreException;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.FabricInfo;
import io.prophecy.sdk.model.FabricSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A team's fabrics. */
final class FabricsImpl implements Fabrics {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SELECT =
      "SELECT f.id, f.name, f.kind, f.description, f.settings, u.email, f.created_at FROM fabrics f"
          + " JOIN users u ON u.id = f.created_by WHERE f.team_id = ?";

  private final TeamImpl team;
  private final Engine engine;

  FabricsImpl(TeamImpl team) {
    this.team = team;
    this.engine = team.engine;
  }

  @Override
  public Fabric create(FabricSpec spec) {
    String target = team.target() + "/fabric:" + spec.name();
    FabricInfo info = engine.mutate(team.user.email(), "fabric.create", target, tx -> {
      engine.requireAdmin(tx.c, team.user, team.info.id(), team.info.name(), "create fabrics");
      tx.team(team.info.id()).detail("kind=" + spec.kind());
      Map<String, String> settings = engine.providers().checkSettings(spec);
      if (Sql.count(tx.c, "SELECT COUNT(*) FROM fabrics WHERE team_id = ? AND name = ?", team.info.id(), spec.name()) > 0) {
        throw new ConflictException("Team '" + team.info.name() + "' has a fabric named '" + spec.name()
            + "' already; choose another name or delete that fabric first");
      }
      String id = Engine.newId();
      long now = engine.now();
      Sql.update(tx.c, "INSERT INTO fabrics (id, team_id, name, kind, description, settings, created_by, created_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          id, team.info.id(), spec.name(), spec.kind(), spec.description().orElse(null), toJson(settings),
          team.user.id(), now);
      return FabricInfo.builder().id(id).team(team.info.name())
          .spec(FabricSpec.builder().from(spec).settings(settings).build())
          .createdBy(team.user.email()).createdAt(Instant.ofEpochMilli(now)).build();
    });
    return new FabricImpl(team, info);
  }

  @Override
  public Fabric get(String name) {
    return engine.db().read(c -> {
      engine.requireMember(c, team.user, team.info.id(), team.info.name());
      return Sql.one(c, SELECT + " AND f.name = ?", this::fabric, team.info.id(), name)
          .orElseThrow(() -> new NotFoundException("Team '" + team.info.name() + "' has no fabric named '" + name
              + "'; its fabrics are listed by team.fabrics().list()"));
    });
  }

  @Override
  public List<Fabric> list() {
    return engine.db().read(c -> {
      engine.requireMember(c, team.user, team.info.id(), team.info.name());
      return Sql.list(c, SELECT + " ORDER BY f.name", this::fabric, team.info.id());
    });
  }

  private Fabric fabric(ResultSet rs) throws SQLException {
    FabricSpec spec = FabricSpec.builder()
        .name(rs.getString(2))
        .kind(rs.getString(3))
        .description(Optional.ofNullable(rs.getString(4)))
        .settings(fromJson(rs.getString(5)))
        .build();
    FabricInfo info = FabricInfo.builder().id(rs.getString(1)).team(team.info.name()).spec(spec)
        .createdBy(rs.getString(6)).createdAt(Instant.ofEpochMilli(rs.getLong(7))).build();
    return new FabricImpl(team, info);
  }

  static String toJson(Map<String, String> settings) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(settings));
    } catch (JsonProcessingException e) {
      throw new StoreException("Cannot encode fabric settings", e);
    }
  }

  /** A fabric's settings as the store keeps them (JSON). */
  static Map<String, String> settingsOf(String json) {
    return fromJson(json);
  }

  private static Map<String, String> fromJson(String json) {
    try {
      return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new StoreException("A stored fabric's settings are damaged: " + e.getOriginalMessage(), e);
    }
  }
}
