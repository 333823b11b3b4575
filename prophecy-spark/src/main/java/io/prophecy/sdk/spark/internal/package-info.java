/** The embedded Spark fabric's implementation. Not API: reach it through the SDK's SPI only. */
package io.prophecy.sdk.spark.internal;
