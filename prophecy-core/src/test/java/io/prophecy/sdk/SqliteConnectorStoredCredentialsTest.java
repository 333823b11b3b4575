package io.prophecy.sdk;

import io.prophecy.sdk.testing.Backend;

class SqliteConnectorStoredCredentialsTest extends ConnectorStoredCredentialsContract {
  @Override
  Backend backend() {
    return Backend.SQLITE;
  }
}
