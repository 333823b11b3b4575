package io.prophecy.sdk;

import io.prophecy.sdk.testing.Backend;

class PostgresStoreTest extends StoreContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
