package io.prophecy.sdk;

import io.prophecy.sdk.testing.Backend;

class PostgresTenancyTest extends TenancyContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
