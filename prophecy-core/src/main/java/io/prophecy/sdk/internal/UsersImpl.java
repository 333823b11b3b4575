package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.Users;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The host's view of users. */
public final class UsersImpl implements Users {
  private final Engine engine;

  public UsersImpl(Engine engine) {
    this.engine = engine;
  }

  @Override
  public User create(String email) {
    String normalized = Checks.email("email", email);
    return engine.mutate(Engine.HOST, "user.create", "user:" + normalized, tx -> {
      if (engine.userByEmail(tx.c, normalized).isPresent()) {
        throw new ConflictException("A user with e-mail " + normalized + " exists already; use users().get(email)");
      }
      if (Sql.count(tx.c, "SELECT COUNT(*) FROM teams WHERE name = ?", normalized) > 0) {
        throw new ConflictException("The personal team name '" + normalized + "' is taken by a team; rename that team first");
      }
      long now = engine.now();
      String userId = Engine.newId();
      String teamId = Engine.newId();
      Sql.update(tx.c, "INSERT INTO users (id, email, created_at) VALUES (?, ?, ?)", userId, normalized, now);
      Sql.update(tx.c, "INSERT INTO teams (id, name, personal_owner, created_at) VALUES (?, ?, ?, ?)",
          teamId, normalized, userId, now);
      Sql.update(tx.c, "INSERT INTO memberships (team_id, user_id, role, since) VALUES (?, ?, ?, ?)",
          teamId, userId, Role.ADMIN.name(), now);
      tx.team(teamId);
      return User.builder().id(userId).email(normalized).createdAt(Instant.ofEpochMilli(now)).build();
    });
  }

  @Override
  public Optional<User> find(String email) {
    String normalized = Checks.email("email", email);
    return engine.db().read(c -> engine.userByEmail(c, normalized));
  }

  @Override
  public User get(String email) {
    return find(email).orElseThrow(() -> new NotFoundException(
        "No user has e-mail " + email.toLowerCase(java.util.Locale.ROOT) + "; make one with prophecy.users().create(email)"));
  }

  @Override
  public List<User> list() {
    return engine.db().read(c -> Sql.list(c, "SELECT id, email, created_at FROM users ORDER BY email", rs -> Engine.user(rs, 1)));
  }

  @Override
  public String toString() {
    return "Users";
  }
}
