import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChannelSettings } from './notification-config';
import { backOff, channelsFor } from './dispatcher';

const MEMBERS = ['0126', '0127', '0128'];
const SECRET = 'a-webhook-secret-of-at-least-32-characters';
const example = JSON.parse(readFileSync(join(__dirname, '../../../../infra/notifications.example.json'), 'utf8'));
const problemsOf = (json: unknown, env: NodeJS.ProcessEnv = {}) => {
  try {
    parseChannelSettings(json, env, MEMBERS);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('Notification channels from NOTIFICATIONS_FILE', () => {
  it('reads the example file, taking each webhook secret from the variable it names', () => {
    const settings = parseChannelSettings(example, { WEBHOOK_SECRET_0127: SECRET }, MEMBERS);
    expect(settings.webAppUrl).toBe('https://placering.sodertorn.example');
    expect(settings.smtp).toMatchObject({ host: '127.0.0.1', port: 2525, requireTls: false, auth: undefined });
    expect(settings.channels.find((c) => c.id === '0127-housing-chat')).toEqual({
      id: '0127-housing-chat',
      role: 'HOUSING_MANAGER',
      municipality: '0127',
      webhook: { url: 'http://127.0.0.1:9000/hooks/botkyrka-bostad', secret: SECRET },
    });
    expect(settings.channels.find((c) => c.id === 'region-coordinators-mail')).toMatchObject({ role: 'COORDINATOR', municipality: null });
  });

  it('takes a webhook secret from the file its variable’s _FILE names (a mounted secret)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'webhook-secret-')), 'secret');
    writeFileSync(file, `${SECRET}\n`);
    const settings = parseChannelSettings(example, { WEBHOOK_SECRET_0127_FILE: file }, MEMBERS);
    expect(settings.channels.find((c) => c.id === '0127-housing-chat')).toMatchObject({ webhook: { secret: SECRET } });
    expect(problemsOf(example, { WEBHOOK_SECRET_0127_FILE: join(file, 'absent') })).toContain('WEBHOOK_SECRET_0127_FILE: cannot read');
  });

  it('names every problem with its place in the file', () => {
    const message = problemsOf({
      webAppUrl: 'ftp://nope',
      channels: [
        { id: 'Bad Id', role: 'CASEWORKER', email: 'not-an-address' },
        { id: 'x', role: 'COORDINATOR', municipality: '0126', email: 'a@b.se', webhook: { url: 'https://x.se', secretEnv: 'S' } },
      ],
    });
    expect(message).toContain('NOTIFICATIONS_FILE: webAppUrl:');
    expect(message).toContain('channels.0.id: must be lower-case letters');
    expect(message).toContain('channels.0.email: must be an e-mail address');
    expect(message).toContain('channels.0: needs "municipality" for HOUSING_MANAGER and CASEWORKER');
    expect(message).toContain('channels.1: needs exactly one of "email" or "webhook"');
  });

  it('refuses an unknown municipality, a missing or short secret, a duplicate id and e-mail without SMTP', () => {
    const message = problemsOf(
      {
        webAppUrl: 'https://app.example',
        channels: [
          { id: 'a', role: 'HOUSING_MANAGER', municipality: '9999', email: 'a@b.se' },
          { id: 'a', role: 'CASEWORKER', municipality: '0126', webhook: { url: 'https://x.example/h', secretEnv: 'UNSET_SECRET' } },
          { id: 'c', role: 'CASEWORKER', municipality: '0127', webhook: { url: 'https://x.example/h', secretEnv: 'SHORT_SECRET' } },
        ],
      },
      { SHORT_SECRET: 'too-short' },
    );
    expect(message).toContain('channels.0.municipality: 9999 is not a member of the region');
    expect(message).toContain('channels.0.email: e-mail channels need "smtp"');
    expect(message).toContain('channels.1.id: "a" is used by another channel');
    expect(message).toContain('channels.1.webhook.secretEnv: the environment variable UNSET_SECRET is not set');
    expect(message).toContain('channels.2.webhook.secretEnv: the environment variable SHORT_SECRET must be at least 32 characters');
  });
});

describe('Delivery', () => {
  it('backs off exponentially from the base, never beyond the cap', () => {
    const settings = { retryBaseMs: 5_000, retryMaxMs: 600_000 };
    expect([1, 2, 3, 4, 8, 9, 50].map((n) => backOff(n, settings))).toEqual([5_000, 10_000, 20_000, 40_000, 600_000, 600_000, 600_000]);
  });

  it('gives each event to the channels of its recipients: same role, same municipality', () => {
    const channels = parseChannelSettings(example, { WEBHOOK_SECRET_0127: SECRET }, MEMBERS).channels;
    expect(channelsFor(channels, [{ role: 'HOUSING_MANAGER', municipality: '0127' }]).map((c) => c.id)).toEqual(['0127-housing-mail', '0127-housing-chat']);
    expect(channelsFor(channels, [{ role: 'COORDINATOR', municipality: null }]).map((c) => c.id)).toEqual(['region-coordinators-mail']);
    expect(channelsFor(channels, [{ role: 'CASEWORKER', municipality: '0128' }])).toEqual([]);
  });
});
