package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.Members;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.Membership;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.User;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A team's members. */
final class MembersImpl implements Members {
  private final TeamImpl team;
  private final Engine engine;

  MembersImpl(TeamImpl team) {
    this.team = team;
    this.engine = team.engine;
  }

  @Override
  public List<Membership> list() {
    return engine.db().read(c -> {
      engine.requireMember(c, team.user, team.info.id(), team.info.name());
      return Sql.list(c,
          "SELECT u.id, u.email, u.created_at, m.role, m.since FROM memberships m JOIN users u ON u.id = m.user_id"
              + " WHERE m.team_id = ? ORDER BY u.email",
          rs -> Membership.builder().user(Engine.user(rs, 1)).role(Role.valueOf(rs.getString(4)))
              .since(Instant.ofEpochMilli(rs.getLong(5))).build(),
          team.info.id());
    });
  }

  @Override
  public Membership add(String email, Role role) {
    String normalized = Checks.email("member.email", email);
    Objects.requireNonNull(role, "role");
    return engine.mutate(team.user.email(), "member.add", team.target() + "/member:" + normalized, tx -> {
      engine.requireAdmin(tx.c, team.user, team.info.id(), team.info.name(), "add members");
      tx.team(team.info.id()).detail("role=" + role);
      Engine.requireShared(team.info, "have other members");
      User member = userOrThrow(tx.c, normalized);
      if (roleOf(tx.c, member) != null) {
        throw new ConflictException(normalized + " is a member of team '" + team.info.name()
            + "' already; use members().setRole(email, role) to change the role");
      }
      long now = engine.now();
      Sql.update(tx.c, "INSERT INTO memberships (team_id, user_id, role, since) VALUES (?, ?, ?, ?)",
          team.info.id(), member.id(), role.name(), now);
      return Membership.builder().user(member).role(role).since(Instant.ofEpochMilli(now)).build();
    });
  }

  @Override
  public Membership setRole(String email, Role role) {
    String normalized = Checks.email("member.email", email);
    Objects.requireNonNull(role, "role");
    return engine.mutate(team.user.email(), "member.role", team.target() + "/member:" + normalized, tx -> {
      engine.requireAdmin(tx.c, team.user, team.info.id(), team.info.name(), "change roles");
      tx.team(team.info.id()).detail("role=" + role);
      User member = userOrThrow(tx.c, normalized);
      Role current = requireMembership(tx.c, member);
      if (current == Role.ADMIN && role != Role.ADMIN) {
        requireAnotherAdmin(tx.c, member, "demote");
      }
      Sql.update(tx.c, "UPDATE memberships SET role = ? WHERE team_id = ? AND user_id = ?",
          role.name(), team.info.id(), member.id());
      long since = Sql.count(tx.c, "SELECT since FROM memberships WHERE team_id = ? AND user_id = ?",
          team.info.id(), member.id());
      return Membership.builder().user(member).role(role).since(Instant.ofEpochMilli(since)).build();
    });
  }

  @Override
  public void remove(String email) {
    String normalized = Checks.email("member.email", email);
    engine.mutate(team.user.email(), "member.remove", team.target() + "/member:" + normalized, tx -> {
      engine.requireAdmin(tx.c, team.user, team.info.id(), team.info.name(), "remove members");
      tx.team(team.info.id());
      User member = userOrThrow(tx.c, normalized);
      Role current = requireMembership(tx.c, member);
      if (current == Role.ADMIN) {
        requireAnotherAdmin(tx.c, member, "remove");
      }
      int dropped = Sql.update(tx.c,
          "DELETE FROM credentials WHERE user_id = ? AND fabric_id IN (SELECT id FROM fabrics WHERE team_id = ?)",
          member.id(), team.info.id());
      Sql.update(tx.c, "DELETE FROM memberships WHERE team_id = ? AND user_id = ?", team.info.id(), member.id());
      tx.detail("credentials deleted=" + dropped);
      return null;
    });
  }

  private User userOrThrow(Connection c, String email) throws SQLException {
    return engine.userByEmail(c, email).orElseThrow(() -> new NotFoundException(
        "No user has e-mail " + email + "; the host application makes users with prophecy.users().create(email)"));
  }

  private Role roleOf(Connection c, User member) throws SQLException {
    return Sql.one(c, "SELECT role FROM memberships WHERE team_id = ? AND user_id = ?",
        rs -> Role.valueOf(rs.getString(1)), team.info.id(), member.id()).orElse(null);
  }

  private Role requireMembership(Connection c, User member) throws SQLException {
    Role r = roleOf(c, member);
    if (r == null) {
      throw new NotFoundException(member.email() + " is not a member of team '" + team.info.name() + "'");
    }
    return r;
  }

  private void requireAnotherAdmin(Connection c, User member, String verb) throws SQLException {
    long admins = Sql.count(c, "SELECT COUNT(*) FROM memberships WHERE team_id = ? AND role = 'ADMIN' AND user_id <> ?",
        team.info.id(), member.id());
    if (admins == 0) {
      throw new ConflictException("Cannot " + verb + " " + member.email() + ": they are the last admin of team '"
          + team.info.name() + "'. Make another member an admin first");
    }
  }
}
