import { adminDatabaseUrl } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startTestShard, type TestShard } from '../test-support';
import { appendAuditRecords } from '../audit/audit-log';
import { verifyStoredChain } from '../audit/audit.resolver';
import { verifyAuditLogAt } from '../audit/verify-database';
import { addressReadsOfBooking } from './recorded-reads';

/** A booking of the unit as the test writes it: status, days from today of its first night and its day of moving out, a placement or not. */
interface BookingSpec {
  status: 'HELD' | 'CONFIRMED' | 'RELEASED' | 'ENDED';
  from: number;
  to: number;
  placement: boolean;
}

describe('An address read names the placement bookings it concerns', () => {
  let shard: TestShard;
  /** Superuser on the shard's database: plays the attacker who gets past the append-only trigger. */
  let admin: Client;
  const unit = randomUUID();
  const otherUnit = randomUUID();
  const ids: Record<string, string> = {};

  async function book(unitId: string, name: string, spec: BookingSpec) {
    ids[name] = randomUUID();
    await admin.query(
      `insert into booking (id, unit_id, places, starts_on, ends_on, status, placement_id, sending_municipality, expires_at, created_at, updated_at)
       values ($1, $2, 1, current_date + $3::int, current_date + $4::int, $5, $6, $7, $8, now(), now())`,
      [
        ids[name],
        unitId,
        spec.from,
        spec.to,
        spec.status,
        spec.placement ? randomUUID() : null,
        spec.placement ? '0126' : null,
        spec.status === 'HELD' ? new Date(Date.now() + 3_600_000) : null,
      ],
    );
  }

  beforeAll(async () => {
    shard = await startTestShard('0138', { seed: false });
    const adminUrl = new URL(adminDatabaseUrl());
    adminUrl.pathname = `/${shard.database.name}`;
    admin = new Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    for (const id of [unit, otherUnit]) {
      await admin.query(
        `insert into housing_unit (id, kind, places, district, street_address, wheelchair_accessible, suitable_for_children, status, created_at, updated_at)
         values ($1, 'PROTECTED', 10, 'Trollbäcken', 'Provgatan 1', false, false, 'AVAILABLE', now(), now())`,
        [id],
      );
    }
    // Who lives in the unit, or is about to, when its address is read: the confirmed and the ended-but-not-yet-moved-out.
    await book(unit, 'confirmed', { status: 'CONFIRMED', from: 3, to: 40, placement: true });
    await book(unit, 'endingLater', { status: 'ENDED', from: -20, to: 10, placement: true });
    // Not them: an offer not yet accepted, a stay over, a released hold, a local booking, another unit's placement.
    await book(unit, 'held', { status: 'HELD', from: 5, to: 30, placement: true });
    await book(unit, 'movedOut', { status: 'ENDED', from: -60, to: -5, placement: true });
    await book(unit, 'released', { status: 'RELEASED', from: 1, to: 9, placement: true });
    await book(unit, 'local', { status: 'CONFIRMED', from: 1, to: 9, placement: false });
    await book(otherUnit, 'elsewhere', { status: 'CONFIRMED', from: 1, to: 9, placement: true });
  });
  afterAll(async () => {
    await admin?.end();
    await shard?.destroy();
  });

  const actor = { actorSub: 'hm-1', actorRoles: ['HOUSING_MANAGER'], actorMunicipality: '0138', purpose: 'besiktning', requestId: randomUUID() };

  it('records, with the read, exactly the bookings whose participant lives there or is about to', async () => {
    await appendAuditRecords(shard.orm.em, [
      { ...actor, action: 'READ_STREET_ADDRESS', subjectType: 'HousingUnit', subjectId: unit },
      { ...actor, action: 'READ_PARTICIPANT', subjectType: 'Participant', subjectId: randomUUID() },
    ]);
    const { rows } = await admin.query<{ action: string; concerns: string[] }>(
      `select action, concerns_bookings::text[] as concerns from audit_log where request_id = $1 order by seq`,
      [actor.requestId],
    );
    expect(rows).toEqual([
      { action: 'READ_STREET_ADDRESS', concerns: [ids.confirmed, ids.endingLater].sort() },
      { action: 'READ_PARTICIPANT', concerns: [] },
    ]);
  });

  it("answers a booking's reads by its id alone, and none for a booking the read did not concern", async () => {
    const em = shard.orm.em.fork();
    expect((await addressReadsOfBooking(em, '0138', ids.confirmed!)).map((r) => [r.actorSub, r.purpose, r.municipalityCode])).toEqual([
      ['hm-1', 'besiktning', '0138'],
    ]);
    for (const name of ['held', 'movedOut', 'released', 'local', 'elsewhere']) expect(await addressReadsOfBooking(em, '0138', ids[name]!)).toEqual([]);
  });

  it('hashes the bookings with the row: the chain verifies, and an edited list breaks it', async () => {
    expect((await verifyStoredChain(shard.orm.em.fork())).problems).toEqual([]);
    expect((await verifyAuditLogAt(shard.database.url)).problems).toEqual([]);
    await admin.query('alter table audit_log disable trigger audit_log_append_only');
    await admin.query(`update audit_log set concerns_bookings = array[$1]::uuid[] where action = 'READ_STREET_ADDRESS'`, [ids.confirmed]);
    await admin.query('alter table audit_log enable trigger audit_log_append_only');
    const problems = (await verifyAuditLogAt(shard.database.url)).problems;
    expect(problems).toEqual([expect.objectContaining({ problem: 'its content does not match its hash: the row was edited' })]);
  });
});
