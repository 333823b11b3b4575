package io.prophecy.sdk;

import io.prophecy.sdk.testing.Backend;

class PostgresConnectorStoredCredentialsTest extends ConnectorStoredCredentialsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
