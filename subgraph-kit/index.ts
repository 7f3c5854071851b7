// `import { createTokenVerifier, protectSchema, scope } from 'deputy/subgraph'`: what a subgraph
// team uses to verify its delegated tokens, declare its authorization rules once and have them
// applied to every resolver, and report its decisions (the package's `deputy/subgraph` export).
// A public API under semver: names here are removed or changed only in a major version.
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions, type SubgraphTokenVerifier } from './verification/createTokenVerifier.js';
export { createEventReceiver, type SecurityEventReceiver, type EventReceiverOptions } from './events/createEventReceiver.js';
export { useSecurityEvents, type SecurityEventsYogaPlugin } from './adapters/yogaEvents.js';
export { RevocationList, type RevocationListOptions } from '../lib/securityEvents/revocationList.js';
export { revokes, type Revocation, type RevocableToken } from '../lib/securityEvents/revocation.js';
export { SESSION_REVOKED, TOKEN_CLAIMS_CHANGE, type RevocationEvent } from '../lib/securityEvents/caepEvents.js';
export type { DeliveryReport, DeliveryOutcome } from '../lib/securityEvents/receiveSecurityEvent.js';
export type { SecurityEventPolicy } from '../lib/securityEvents/verifySecurityEvent.js';
export type { Credential } from './verification/tokenFromCredential.js';
export type { DeputyIdentity, DeputyContext } from './context/deputyContext.js';
export { InvalidTokenError, TOKEN_REJECTIONS, type TokenRejection } from '../lib/tokenRejection.js';
export { PROFILE_NAMES, tokenProfile, type ProfileName, type TokenProfile, type ProfileOverrides } from '../lib/tokenProfile.js';
export type { DelegationAcceptance } from '../lib/checkDelegation.js';
export { everyone, condition, scope, role, when, all, any, type Rule, type RuleContext } from './rules/rule.js';
export type { RuleSet, TypeRules } from './rules/ruleSet.js';
export { protectSchema } from './rules/protectSchema.js';
export { applyRules } from './rules/applyRules.js';
export { checkRuleCoverage, RuleCoverageError } from './rules/checkRuleCoverage.js';
export { DecisionLog, type DecisionKind, type DecisionRecorder, type AuthorizationDecision } from './decisions/decisionLog.js';
export { reportDecisions, type AuthorizationReport } from './decisions/reportDecisions.js';
export { deputyRequestContext, unauthenticated, type DeputyAdapterOptions, type DeputyRequestContext, type Unauthenticated } from './adapters/deputyRequest.js';
export { deputyApolloPlugin, deputyContext } from './adapters/apolloServer.js';
export { useDeputy, type DeputyYogaPlugin } from './adapters/yoga.js';
export { readsOnlyServiceSdl, sdlReaderRefusal } from './adapters/sdlReaderOperation.js';
export { InputError, checkLength, checkRange, checkKnown } from './inputs/inputErrors.js';
