package io.prophecy.sdk;

import io.prophecy.sdk.model.User;
import java.util.List;
import java.util.Optional;

/**
 * The users of this SDK instance, managed by the host application. Making a user also makes the
 * user's personal team, with the user as its admin. Thread-safe.
 */
public interface Users {
  /**
   * Makes a user.
   *
   * @throws InvalidInputException when the e-mail is malformed
   * @throws ConflictException when a user with that e-mail exists
   */
  User create(String email);

  /** The user with this e-mail (matched without regard to case). */
  Optional<User> find(String email);

  /**
   * The user with this e-mail.
   *
   * @throws NotFoundException when there is none
   */
  User get(String email);

  /** All users, by e-mail. */
  List<User> list();
}
