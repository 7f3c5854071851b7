// The types the router publishes to its clients, and the only file the console may import from
// outside console/ (types only; lint enforces both): the delegation trace of
// `extensions.delegationTrace` and the settings served at GET /console/config.json.
export type { ChainHop, DelegationTrace, FetchOutcome, FetchTrace, FieldTrace, HopTrace, QueryPlanNode, TokenObtained, TokenSourceName } from './trace/delegationTrace.js';
export type { AuthorizationDecision } from '../lib/authorizationDecision.js';
export type { ConsoleSettings } from './console/consoleSettings.js';
