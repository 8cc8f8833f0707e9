import { Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCHEMA_DIR, SCHEMA_FILES } from './files';

export type SchemaName = keyof typeof SCHEMA_FILES;
export const SCHEMA_NAMES = Object.keys(SCHEMA_FILES) as SchemaName[];

/** The snapshots of the last release: what deployed gateways, shards and clients rely on. */
export const RELEASED_DIR = resolve(SCHEMA_DIR, 'released');
/** Breaking changes a reviewed change means to make; see docs/upgrades-and-keys.md. */
export const PLANNED_BREAKS_FILE = resolve(SCHEMA_DIR, 'planned-breaks.json');

export interface PlannedBreak {
  /** Which snapshot: municipality, regional or supergraph. */
  schema: SchemaName;
  /** The change's path as @graphql-inspector/core reports it, e.g. `Query.auditLog` or `Query.auditLog.limit`. */
  path: string;
  /** Its change type, e.g. FIELD_REMOVED. */
  type: string;
  /** Why, and how deployments are brought along (read by reviewers, not by code). */
  reason: string;
}

export interface BreakingChange {
  schema: SchemaName;
  path: string;
  type: string;
  message: string;
}

/**
 * The schema clients see. The supergraph's join directives change with every
 * composition detail; its API schema is what a break would be a break of.
 */
export function schemaFrom(name: SchemaName, sdl: string): GraphQLSchema {
  return name === 'supergraph' ? Supergraph.build(sdl).apiSchema().toGraphQLJSSchema() : buildSchema(sdl);
}

/** The breaking changes from `released` to `current` of one snapshot. */
export async function breakingChanges(name: SchemaName, released: string, current: string): Promise<BreakingChange[]> {
  const changes: Change[] = await diff(schemaFrom(name, released), schemaFrom(name, current));
  return changes
    .filter((change) => change.criticality.level === CriticalityLevel.Breaking)
    .map((change) => ({ schema: name, path: change.path ?? '', type: change.type, message: change.message }));
}

export function readPlannedBreaks(file = PLANNED_BREAKS_FILE): PlannedBreak[] {
  return JSON.parse(readFileSync(file, 'utf8')) as PlannedBreak[];
}

/** Whether `planned` names `change`. */
export function plans(planned: PlannedBreak, change: BreakingChange): boolean {
  return planned.schema === change.schema && planned.path === change.path && planned.type === change.type;
}
