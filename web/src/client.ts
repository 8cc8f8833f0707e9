import { persistedExchange } from '@urql/exchange-persisted';
import { Client, fetchExchange } from 'urql';

/**
 * The GraphQL client. Operations go to the web server's /graphql (same origin, the session
 * cookie), by the id of a registered document only: the text of a query never leaves the
 * browser. The ids are the SHA-256 hashes GraphQL Code Generator put in each document.
 */
export function createClient(onUnauthenticated: () => void): Client {
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: { credentials: 'same-origin', headers: { 'content-type': 'application/json' } },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) onUnauthenticated();
      return response;
    },
    exchanges: [
      persistedExchange({
        enforcePersistedQueries: true,
        enableForMutation: true,
        preferGetForPersistedQueries: false,
        generateHash: async (_query, document) => (document as unknown as { __meta__: { hash: string } }).__meta__.hash,
      }),
      fetchExchange,
    ],
  });
}
