export { ShardClient, type ShardClientOptions, type ServiceCallOptions, type TypedDocument } from './shard-client';
export {
  Shard,
  DEFAULT_BREAKER,
  DEFAULT_RETRY,
  type OperationKind,
  type ShardCall,
  type ShardCallOutcome,
  type ShardOptions,
  type ShardRequest,
  type ShardResponse,
  type ShardState,
  type ShardTarget,
} from './shard';
export { ShardRefusal, ShardUnavailable } from './shard-errors';
export { JsonPost, PostFailed, type JsonAnswer } from './post-json';
export { compatibleSchemaCheck, exactSdlCheck, normalizeSdl, rememberVerdicts, type SchemaCheck, type SchemaVerdict } from './schema-check';
export { schemaCompatibility, type SchemaCompatibility } from './schema-compatibility';
export type { ShardTlsOptions, TlsSource } from './tls';
export type { BreakerState } from './circuit-breaker';
export type { FailureKind, RetryPolicy } from './retry-policy';
export { inClientSpan, operationNameAttribute, SpanAttributes } from './tracing';
export { parseShardClientEnv, type ShardClientSettings } from './config';
