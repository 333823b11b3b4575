package io.prophecy.sdk;

import io.prophecy.sdk.model.FabricSpec;
import java.util.List;

/** A team's fabrics. Members list and use them; admins create and delete them. */
public interface Fabrics {
  /**
   * Creates a fabric after checking its settings against its kind's descriptor (unknown settings,
   * missing required ones and malformed values are refused, naming the setting), with the kind's
   * defaults applied.
   *
   * @throws InvalidInputException when the kind is not installed (the message lists the installed
   *     kinds) or a setting is wrong
   * @throws ConflictException when the team has a fabric of that name
   * @throws PermissionDeniedException when the acting user is not an admin of the team
   */
  Fabric create(FabricSpec spec);

  /** A fabric of the team by name. */
  Fabric get(String name);

  /** The team's fabrics, by name. */
  List<Fabric> list();
}
