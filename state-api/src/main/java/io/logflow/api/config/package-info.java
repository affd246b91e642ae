/**
 * Settings ({@code LogFlowProperties}, every field an env-var override), Micrometer metrics
 * ({@code LogFlowMetrics}), the Kafka producer, the group-less topic reader, JSON and Netty
 * resources. Uses no other LogFlow package (only the model's and alert-rules' names for tag values).
 */
package io.logflow.api.config;
