package io.prophecy.sdk;

import io.prophecy.sdk.model.User;

/**
 * Everything one user may do, reached fluently: teams, and through them fabrics and projects. Every
 * call is checked against the user's roles and audited. Thread-safe and cheap: make one per request
 * or keep one per user.
 *
 * <pre>{@code
 * ProphecySession alice = prophecy.as("alice@example.com");
 * Team team = alice.teams().create("analytics");
 * Fabric dev = team.fabrics().create(FabricSpec.of("spark", "dev"));
 * }</pre>
 */
public interface ProphecySession {
  /** The acting user. */
  User user();

  /** The teams the user belongs to, and making new ones. */
  Teams teams();

  /** The user's personal team, made with the user, of which the user is the only member. */
  Team personalTeam();

  /** The user's own tokens for Git hosts, stored encrypted by the vault. */
  GitCredentials gitCredentials();
}
