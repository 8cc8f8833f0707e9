import { Role } from '@sodertorn/auth';
import type { NotificationSettings } from '@sodertorn/regional';
import { verifyWebhook } from '@sodertorn/service-kit';
import { bearer, postGraphQL } from '@sodertorn/testing';
import {
  decodeQuotedPrintable,
  eventually,
  mailHeader,
  mailSubject,
  smtpReceiver,
  webhookReceiver,
  type ReceivedMail,
  type ReceivedWebhook,
} from './support/notification-receivers';
import { offer, takeStep, type Parties } from './support/placement-journey';
import { syntheticPersonnummer } from './support/personnummer';
import { queryRows } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

const parties: Parties = { sending: '0126', receiving: '0127' };
const SECRET = 'botkyrka-chat-webhook-secret-0123456789';
const WRONG_SECRET = 'someone-elses-webhook-secret-0123456789';
const HOUSING_DUTY = 'bostadsjour@botkyrka.test';
const CASEWORKER_DUTY = 'socialjour@huddinge.test';
const OTHER_DUTY = 'bostadsjour@huddinge.test';
const canary = { firstName: 'Aviseringsfågel', lastName: 'Kanarieström', ...syntheticPersonnummer(4343, 1987) };
const canaryAddress = 'Aviseringsgränd 13';
/** A hold of one minute, warned of 40 seconds before it lapses. */
const HOLD_WARNING_MS = 40_000;

/** A mail's source as a reader sees it: its subject, and its quoted-printable body decoded. */
const readable = (source: string) => `${mailSubject(source)}\n${decodeQuotedPrintable(source)}`;
const bodyOf = (hook: ReceivedWebhook) => JSON.parse(hook.body) as { id: string; type: string; link: string; data: Record<string, unknown> };

describe('Notifications: an offer, a hold about to lapse and the steps after reach the duty addresses, signed, once, with no personal data', () => {
  let region: TestRegion;
  let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let placementId: string;
  let offeredAt: number;
  let caseReference: string;
  const mailsAbout = (id: string, subject: RegExp) => smtp.received.filter((m) => readable(m.source).includes(id) && subject.test(mailSubject(m.source)));
  const hooksOf = (type: string, id: string) => hooks.received.filter((h) => bodyOf(h).type === type && bodyOf(h).data.placementId === id);

  beforeAll(async () => {
    smtp = await smtpReceiver();
    hooks = await webhookReceiver();
    const notifications: NotificationSettings = {
      webAppUrl: 'https://placering.sodertorn.test',
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false, from: 'Södertörn placeringar <noreply@sodertorn.test>' },
      channels: [
        { id: '0127-housing-mail', role: 'HOUSING_MANAGER', municipality: '0127', email: HOUSING_DUTY },
        {
          id: '0127-housing-chat',
          role: 'HOUSING_MANAGER',
          municipality: '0127',
          webhook: { url: `http://127.0.0.1:${hooks.port}/hooks/0127`, secret: SECRET },
        },
        { id: '0126-caseworker-mail', role: 'CASEWORKER', municipality: '0126', email: CASEWORKER_DUTY },
        { id: '0126-housing-mail', role: 'HOUSING_MANAGER', municipality: '0126', email: OTHER_DUTY },
      ],
      intervalMs: 200,
      holdWarningMs: HOLD_WARNING_MS,
      endingSoonDays: 7,
      unavailableAfterMs: 60_000,
      maxAttempts: 100,
      retryBaseMs: 100,
      retryMaxMs: 800,
      sendTimeoutMs: 2_000,
    };
    region = await startTestRegion({ seed: false, holdMinutes: 1, notifications });
    const caseworker = await bearer(Role.CASEWORKER, parties.sending);
    const registered = await postGraphQL(
      region.gateway.url,
      `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`,
      {
        input: {
          ...canary,
          gender: 'FEMALE',
          householdChildren: 0,
          referralSource: 'POLICE',
          riskLevel: 'HIGH',
          excludedMunicipalities: [],
          intakeDate: '2026-11-02',
          responsibleCaseworker: 'cw-1',
        },
      },
      caseworker,
    );
    expect(registered.errors).toBeUndefined();
    const requested = await postGraphQL(
      region.gateway.url,
      `mutation($id: ID!) { createPlacementRequest(participantId: $id, input: { urgency: IMMEDIATE, earliestStart: "2027-01-10", expectedDurationDays: 30, allowedKinds: [PROTECTED] }) { id caseReference } }`,
      { id: registered.data!.registerParticipant.id },
      caseworker,
    );
    expect(requested.errors).toBeUndefined();
    caseReference = requested.data!.createPlacementRequest.caseReference;
    const unit = await postGraphQL(
      region.gateway.url,
      `mutation { registerHousingUnit(input: { kind: PROTECTED, places: 1, district: "Tumba", streetAddress: "${canaryAddress}" }) { id } }`,
      {},
      await bearer(Role.HOUSING_MANAGER, parties.receiving),
    );
    expect(unit.errors).toBeUndefined();

    // The duty mailbox's server and the chat tool are both down when the offer is made.
    const offered = await offer(region, parties, requested.data!.createPlacementRequest.id, unit.data!.registerHousingUnit.id);
    expect(offered.errors).toBeUndefined();
    placementId = offered.data!.offerPlacement.id;
    offeredAt = Date.now();
  });
  afterAll(async () => {
    await region?.destroy();
    await smtp?.down();
    await hooks?.down();
  });

  it('keeps trying while the SMTP server and the webhook receiver are down, then delivers the offer once to each', async () => {
    const attempts = () =>
      queryRows<{ channel_id: string; attempts: number; status: string }>(
        region.regional.database.url,
        `select d.channel_id, d.attempts, d.status from notification_delivery d join notification_event e on e.id = d.event_id where e.type = 'placement.offered'`,
      );
    // Both deliveries of the offer fail and are retried with back-off, nothing lost.
    const failing = await eventually('two failed attempts on each channel', async () => {
      const rows = await attempts();
      return rows.length === 2 && rows.every((r) => r.attempts >= 2 && r.status === 'PENDING') && rows;
    });
    expect(failing.map((r) => r.channel_id).sort()).toEqual(['0127-housing-chat', '0127-housing-mail']);

    await smtp.up();
    await hooks.up();
    await eventually(
      'the offer by mail and webhook',
      () => mailsAbout(placementId, /Erbjudande om placering/).length > 0 && hooksOf('placement.offered', placementId).length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // several more dispatcher rounds: nothing is sent twice

    const mails = mailsAbout(placementId, /Erbjudande om placering/);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([HOUSING_DUTY]);
    const text = readable(mails[0]!.source);
    expect(text).toContain(`https://placering.sodertorn.test/placements/${placementId}`);
    expect(text).toMatch(/Från: Huddinge \(0126\)/);
    expect(text).toMatch(/Till: Botkyrka \(0127\)/);
    const eventId = mailHeader(mails[0]!.source, 'x-notification-id')!;
    expect(mailHeader(mails[0]!.source, 'message-id')).toBe(`<${eventId}@sodertorn.test>`);

    const calls = hooksOf('placement.offered', placementId);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/hooks/0127');
    expect(calls[0]!.headers['webhook-id']).toBe(eventId); // one event, one id, on every channel
    expect(bodyOf(calls[0]!)).toMatchObject({
      id: eventId,
      link: `https://placering.sodertorn.test/placements/${placementId}`,
      data: { sendingMunicipality: '0126', receivingMunicipality: '0127', places: 1, startsOn: '2027-01-10', endsOn: '2027-02-09' },
    });
    const [placement] = await queryRows<{ hold_expires_at: Date }>(region.regional.database.url, `select hold_expires_at from placement where id = $1`, [
      placementId,
    ]);
    expect(new Date(bodyOf(calls[0]!).data.deadline as string).getTime()).toBe(placement!.hold_expires_at.getTime());
    // Nobody else was told: the sending side's duty addresses get nothing about an offer.
    expect(smtp.received.filter((m) => !m.to.includes(HOUSING_DUTY))).toEqual([]);
  });

  it('signs every webhook so that the documented verification accepts it, and detects a forged or replayed one', async () => {
    const call = hooksOf('placement.offered', placementId)[0]!;
    const received = { body: call.body, timestamp: call.headers['webhook-timestamp'] as string, signature: call.headers['webhook-signature'] as string };
    expect(verifyWebhook({ secret: SECRET, ...received, now: call.receivedAt })).toEqual({ valid: true });
    expect(verifyWebhook({ secret: WRONG_SECRET, ...received, now: call.receivedAt })).toEqual({ valid: false, reason: 'forged' });
    expect(verifyWebhook({ secret: SECRET, ...received, body: call.body.replace('"places":1', '"places":2'), now: call.receivedAt })).toEqual({
      valid: false,
      reason: 'forged',
    });
    expect(verifyWebhook({ secret: SECRET, ...received, timestamp: String(Number(received.timestamp) + 1), now: call.receivedAt })).toEqual({
      valid: false,
      reason: 'forged',
    });
    // The same request sent again ten minutes later: its signed timestamp gives it away.
    expect(verifyWebhook({ secret: SECRET, ...received, now: call.receivedAt + 10 * 60_000 })).toEqual({ valid: false, reason: 'stale' });
  });

  it('warns the receiving housing duty that the hold is about to lapse, once, before it lapses', async () => {
    const [placement] = await queryRows<{ hold_expires_at: Date }>(region.regional.database.url, `select hold_expires_at from placement where id = $1`, [
      placementId,
    ]);
    const lapsesAt = placement!.hold_expires_at.getTime();
    const [warning] = await eventually(
      'the hold-lapsing warning',
      () => mailsAbout(placementId, /löper ut/).length > 0 && mailsAbout(placementId, /löper ut/),
      45_000,
    );
    expect(warning!.to).toEqual([HOUSING_DUTY]);
    expect(warning!.receivedAt).toBeLessThan(lapsesAt);
    // Not at the offer, but once the lapse was within the warning time (a dispatcher round of slack).
    expect(warning!.receivedAt).toBeGreaterThanOrEqual(lapsesAt - HOLD_WARNING_MS - 100);
    expect(warning!.receivedAt - offeredAt).toBeGreaterThan(10_000);
    await eventually('the warning on the chat too', () => hooksOf('placement.hold-lapsing', placementId).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(mailsAbout(placementId, /löper ut/)).toHaveLength(1);
    expect(hooksOf('placement.hold-lapsing', placementId)).toHaveLength(1);
  }, 60_000);

  it("tells the sending caseworkers' duty of the accept, the move-in and the end", async () => {
    for (const step of ['accept', 'moveIn', 'end'] as const) {
      const result = await takeStep(region, parties, step, placementId, step === 'end' ? { endsOn: '2027-01-20' } : {});
      expect(result.errors).toBeUndefined();
    }
    for (const subject of [/accepterat placeringen/, /Inflyttning registrerad/, /är avslutad/]) {
      const [mail] = await eventually(`a mail matching ${subject}`, () => mailsAbout(placementId, subject).length > 0 && mailsAbout(placementId, subject));
      expect(mail!.to).toEqual([CASEWORKER_DUTY]);
    }
  });

  it('puts no personal data in any message: no name, personnummer, birth date, address or case reference', async () => {
    const markers = [
      canary.firstName,
      canary.lastName,
      canary.personalIdentityNumber,
      `${canary.personalIdentityNumber.slice(0, 8)}-${canary.personalIdentityNumber.slice(8)}`,
      canary.personalIdentityNumber.slice(2),
      canary.birthDate,
      canaryAddress,
      caseReference,
    ];
    const everything = [
      ...smtp.received.map((m: ReceivedMail) => `${m.source}\n${readable(m.source)}`),
      ...hooks.received.map((h) => `${JSON.stringify(h.headers)}\n${h.body}`),
    ].join('\n');
    expect(smtp.received.length).toBeGreaterThanOrEqual(5);
    expect(everything).toContain(placementId); // the search does see what the messages say
    for (const marker of markers) expect(everything).not.toContain(marker);
  });
});
