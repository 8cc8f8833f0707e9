import type { ApolloServerPlugin } from '@apollo/server';
import { hasRole, Role } from '@sodertorn/auth';
import { TrustedDocumentRequiredError } from '@sodertorn/errors';
import { readFileSync } from 'node:fs';
import type { GatewayContext } from './datasources/shard-router-data-source';

/** Roles whose clients (BI tools, the region's own services, a municipality's culling job) may still send documents of their own. */
export const DOCUMENT_SENDING_ROLES: readonly Role[] = [Role.ANALYST, Role.SERVICE, Role.RETENTION_SERVICE];

export interface TrustedDocuments {
  /** Registered operations: id (SHA-256 of the text, hex) → text. */
  operations: ReadonlyMap<string, string>;
  /** Production: callers of other roles may run registered operations only. */
  required: boolean;
}

/** Reads a persisted-query manifest (Apollo's format, e.g. web/persisted-operations.json). */
export function loadTrustedDocuments(file: string, required: boolean): TrustedDocuments {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { format?: string; operations?: { id: string; body: string }[] };
  if (manifest.format !== 'apollo-persisted-query-manifest' || !Array.isArray(manifest.operations)) {
    throw new Error(`PERSISTED_OPERATIONS_FILE ${file} is no apollo-persisted-query-manifest`);
  }
  return { operations: new Map(manifest.operations.map((o) => [o.id, o.body])), required };
}

/**
 * Trusted documents. A request that names a registered operation by id
 * (`extensions.persistedQuery.sha256Hash`, no `query`) runs that operation's text under its own
 * name. When `required`, a caller whose role is not a BI or service role may run nothing else:
 * arbitrary documents, and operation names chosen by the client, no longer reach the subgraphs
 * from the web. (Apollo's automatic persisted queries would let any client register any text by
 * hash; the check is on the text that runs, so that does not get around it.) `ownDocuments`
 * are the fixed texts the gateway's own routes run (never a client's).
 */
export function trustedDocumentsPlugin(trusted: TrustedDocuments, ownDocuments: readonly string[] = []): ApolloServerPlugin<GatewayContext> {
  const registered = new Set([...trusted.operations.values(), ...ownDocuments]);
  return {
    async requestDidStart({ request }) {
      const id = request.extensions?.persistedQuery?.sha256Hash;
      if (!request.query && typeof id === 'string') {
        const body = trusted.operations.get(id);
        if (body !== undefined) {
          request.query = body;
          request.operationName = undefined;
        }
      }
      return {
        async didResolveOperation({ source, contextValue }) {
          if (!trusted.required || registered.has(source) || hasRole(contextValue.identity, ...DOCUMENT_SENDING_ROLES)) return;
          throw new TrustedDocumentRequiredError();
        },
      };
    },
  };
}
