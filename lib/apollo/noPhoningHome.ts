import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';

// No outbound connection that the configuration does not name (a project rule). Apollo's packages
// reach their vendor on their own when the environment says so; these switches say no in code.

/**
 * @apollo/gateway 2.x starts a usage-telemetry exporter (it probes cloud metadata addresses and
 * sends metrics to Apollo) unless APOLLO_TELEMETRY_DISABLED is set when a gateway is built.
 * Call before `new ApolloGateway`.
 */
export function disableGatewayTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

/** Apollo Server's usage and schema reporting (started by APOLLO_KEY / APOLLO_SCHEMA_REPORTING), off. */
export function noReportingPlugins<TContext extends BaseContext>(): ApolloServerPlugin<TContext>[] {
  return [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()] as ApolloServerPlugin<TContext>[];
}
