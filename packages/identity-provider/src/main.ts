import { startProviders } from './server';
import type { ProviderSpec } from './spec';
import type { ProviderCommand, ProviderMessage } from './spawn';

/**
 * The development identity providers as a process of their own (oidc-provider is
 * an ES module; the services and tests are CommonJS). Started by spawnProviders
 * with the specs in IDENTITY_PROVIDER_SPECS; answers over the IPC channel.
 */
async function main(): Promise<void> {
  const send = (message: ProviderMessage) => process.send?.(message);
  const specs = JSON.parse(process.env.IDENTITY_PROVIDER_SPECS ?? '[]') as ProviderSpec[];
  const providers = await startProviders(specs);
  process.on('message', (command: ProviderCommand) => {
    const done =
      command.op === 'rotateKeys' ? providers.rotateKeys(command.name) : Promise.resolve(providers.revokeClient(command.name, command.clientId ?? ''));
    done.then(
      () => send({ type: 'done', id: command.id }),
      (error: unknown) => send({ type: 'error', id: command.id, message: (error as Error).message }),
    );
  });
  // The parent's end of the channel closes when it exits or kills us: nothing to serve any more.
  process.on('disconnect', () => void providers.close().then(() => process.exit(0)));
  send({ type: 'ready', issuers: providers.issuers });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', message: (error as Error).message } satisfies ProviderMessage);
  process.stderr.write(`identity providers failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
