/** The Databricks connector's HTTP layer, clusters, jobs and Command API sessions. Not API. */
package io.prophecy.sdk.databricks.internal;
