package io.prophecy.sdk;

import io.prophecy.sdk.testing.Backend;

class SqliteStoreTest extends StoreContract {
  @Override
  Backend backend() {
    return Backend.SQLITE;
  }
}
