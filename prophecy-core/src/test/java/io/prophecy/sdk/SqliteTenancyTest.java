package io.prophecy.sdk;

import io.prophecy.sdk.testing.Backend;

class SqliteTenancyTest extends TenancyContract {
  @Override
  Backend backend() {
    return Backend.SQLITE;
  }
}
