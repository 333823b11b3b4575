package io.prophecy.sdk;

import io.prophecy.sdk.model.FabricInfo;
import io.prophecy.sdk.spi.FabricConnection;
import java.util.Map;

/** A fabric of a team: one execution environment, used by each member with their own credentials. */
public interface Fabric {
  /** The fabric as the handle was made: id, team, spec with defaults applied. */
  FabricInfo info();

  default String name() {
    return info().name();
  }

  default String kind() {
    return info().kind();
  }

  /** The acting user's own credentials for this fabric. No one reads another user's credentials. */
  FabricCredentials credentials();

  /**
   * Connects to the fabric as the acting user, with the user's credentials. The caller closes the
   * connection. Each call is audited as a use of the credentials.
   *
   * @throws InvalidInputException when the kind needs credentials and the user has stored none
   * @throws ConnectorException when the connector fails; the message never shows a secret
   */
  FabricConnection connect();

  /**
   * Replaces the fabric's settings, checked against its kind's descriptor as on creation, and
   * returns a handle with the new settings. Admins only. Members' credentials are kept.
   */
  Fabric update(Map<String, String> settings);

  /** Deletes the fabric and every member's credentials for it. Admins only. */
  void delete();
}
