package io.prophecy.sdk.model;

/** A user's role in a team. */
public enum Role {
  /** Manages the team's membership and fabrics, deletes its projects; everything a member does. */
  ADMIN,
  /** Sees the team, uses its fabrics with their own credentials, creates and edits its projects. */
  MEMBER
}
