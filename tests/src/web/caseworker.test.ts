import { Role, syntheticPersonnummer } from '@sodertorn/testing';
import type { Page } from 'playwright-core';
import { apiOperation, municipalUser, newPage, screenshot, seriousViolations, signIn, startWebRegion, webOrigin, type WebRegion } from '../support/web-browser';

/**
 * The caseworker's pages in Chromium against the real region, as Huddinge's caseworker would use
 * them: find a participant by search and phase, open them, register a new one (a wrong check digit
 * shown at the field before anything is sent, then the API's own objection at its field), open a
 * placement request and follow it once the region offers a unit, and reveal a protected identity
 * with a stated purpose, which the audit log (asked as the auditor, through the API) records.
 */
let w: WebRegion;
let origin: string;
const HUDDINGE = '0126';
const CASEWORKER_SUB = `caseworker-${HUDDINGE}-1`;
const PURPOSE = 'Kontakt med Skatteverket om adressändring';

beforeAll(async () => {
  w = await startWebRegion();
  origin = webOrigin(w.web);
}, 240_000);
afterAll(() => w?.destroy());

interface ApiListed {
  id: string;
  firstName?: string;
  lastName?: string;
  personalIdentityNumber?: string;
  protectedIdentity: boolean;
  phase: string;
  intakeDate: string;
  placementRequests: { caseReference: string; status: string }[];
}

/** The gateway's answer to the list page's own registered operation, as Huddinge's caseworker. */
async function apiParticipants(phase: string | null): Promise<{ open: ApiListed[]; protected: ApiListed[] }> {
  const body = await apiOperation<{ open: ApiListed[]; protected: ApiListed[] }>(
    w,
    'CaseworkerParticipants',
    { phase },
    await w.region.bearer(Role.CASEWORKER, HUDDINGE, CASEWORKER_SUB),
  );
  expect(body.errors).toBeUndefined();
  return body.data!;
}

async function shownIds(page: Page): Promise<string[]> {
  return page.locator('table.participants-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-participant-id')!));
}

test('a caseworker finds a participant by search and phase, registers one after correcting a mistake, opens a placement request, withdraws it, opens another and follows it, and reveals a protected identity with a purpose the audit log records', async () => {
  const page = await newPage(w.browser);
  await signIn(page, origin, municipalUser(Role.CASEWORKER, HUDDINGE));
  await page.getByRole('link', { name: 'Deltagare', exact: true }).click();
  await page.getByRole('heading', { name: 'Deltagare', level: 1 }).waitFor();

  // Every participant, newest intake first: the API's two lists as one, in the API's order.
  const everyone = await apiParticipants(null);
  const all = [...everyone.open, ...everyone.protected].sort((a, b) =>
    a.intakeDate === b.intakeDate ? a.id.localeCompare(b.id) : b.intakeDate.localeCompare(a.intakeDate),
  );
  await page.locator('.summary', { hasText: `${all.length} deltagare` }).waitFor();
  expect(await shownIds(page)).toEqual(all.map((p) => p.id));
  // A protected person's row names nobody, and the API was not asked for their name.
  expect(everyone.protected.length).toBeGreaterThan(0);
  expect(everyone.protected.every((p) => p.firstName === undefined && p.personalIdentityNumber === undefined)).toBe(true);
  expect(await page.locator(`tr[data-participant-id="${everyone.protected[0]!.id}"] th`).innerText()).toBe('Skyddade personuppgifter');
  expect(await seriousViolations(page)).toEqual([]);

  // Filter by phase (the API's), then search by last name (in the page).
  const active = await apiParticipants('ACTIVE');
  const target = active.open[0]!;
  await page.getByRole('button', { name: /Fas/ }).click();
  await page.getByRole('option', { name: 'Aktiv', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Sök på namn, personnummer eller ärendereferens' }).fill(target.lastName!.toUpperCase());
  const word = target.lastName!.toLowerCase();
  const expected = active.open.filter((p) =>
    `${p.firstName} ${p.lastName} ${p.personalIdentityNumber} ${p.placementRequests.map((r) => r.caseReference).join(' ')}`.toLowerCase().includes(word),
  );
  await page.locator('.summary', { hasText: `${expected.length} deltagare` }).waitFor();
  expect(await shownIds(page)).toEqual(expected.map((p) => p.id));
  // Nothing of the search in the address.
  expect(page.url()).toBe(`${origin}/participants`);
  await screenshot(page, 'participants-caseworker');

  // Open them: the page shows the API's facts, and the address names only the id.
  await page
    .getByRole('link', { name: `${target.firstName} ${target.lastName}`, exact: true })
    .first()
    .click();
  await page.getByRole('heading', { name: 'Deltagarens ärende', level: 1 }).waitFor();
  expect(page.url()).toBe(`${origin}/participants/${page.url().split('/').at(-1)}`);
  const openedId = page.url().split('/').at(-1)!;
  const opened = expected.find((p) => p.id === openedId)!;
  await page.locator('[data-fact="name"]', { hasText: `${opened.firstName} ${opened.lastName}` }).waitFor();
  expect(await page.locator('[data-fact="personalIdentityNumber"]').innerText()).toBe(opened.personalIdentityNumber);
  expect(await page.locator('[data-fact="phase"]').innerText()).toBe('Aktiv');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'participant-caseworker');

  // Register a new participant, first with a wrong check digit: shown at the field, nothing sent.
  await page.getByRole('link', { name: 'Tillbaka till deltagarna' }).click();
  await page.getByRole('link', { name: 'Registrera en ny deltagare' }).click();
  await page.getByRole('heading', { name: 'Registrera deltagare', level: 1 }).waitFor();
  const { personalIdentityNumber: pnr, birthDate } = syntheticPersonnummer(4711, 1994);
  const wrongCheckDigit = `${pnr.slice(0, 11)}${(Number(pnr[11]) + 1) % 10}`;
  await page.getByRole('textbox', { name: 'Förnamn' }).fill('Testa');
  await page.getByRole('textbox', { name: 'Efternamn' }).fill('Registreradsson');
  await page.getByRole('textbox', { name: 'Personnummer' }).fill(`${wrongCheckDigit.slice(0, 8)}-${wrongCheckDigit.slice(8)}`);
  await page.getByRole('button', { name: /Kön/ }).click();
  await page.getByRole('option', { name: 'Kvinna', exact: true }).click();
  await page.getByRole('button', { name: /Remitterad av/ }).click();
  await page.getByRole('option', { name: 'Socialtjänsten', exact: true }).click();
  await page.getByRole('button', { name: /Risknivå/ }).click();
  await page.getByRole('option', { name: 'Hög', exact: true }).click();
  await page.getByRole('textbox', { name: 'Kommuner deltagaren inte får placeras i' }).fill('0180, 0127');
  const before = await apiParticipants(null);
  await page.getByRole('button', { name: 'Registrera', exact: true }).click();
  const pnrField = page.getByRole('textbox', { name: 'Personnummer' });
  await page.locator('[data-field="personalIdentityNumber"] .field-error', { hasText: 'Kontrollsiffran stämmer inte' }).waitFor();
  expect(await pnrField.getAttribute('aria-invalid')).toBe('true');
  // Focus lands on the field to correct, for a keyboard or screen reader user.
  expect(await pnrField.evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'participant-register-invalid');

  // Corrected; but a birth date the personnummer does not hold: the API's own message, at that field.
  await pnrField.fill(`${pnr.slice(0, 8)}-${pnr.slice(8)}`);
  await page.getByRole('textbox', { name: 'Födelsedatum' }).fill('1994-02-02');
  await page.getByRole('button', { name: 'Registrera', exact: true }).click();
  await page.locator('[data-field="birthDate"] .field-error', { hasText: 'does not match the date in the personnummer' }).waitFor();
  expect(await page.getByRole('textbox', { name: 'Födelsedatum' }).getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByRole('textbox', { name: 'Födelsedatum' }).evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true);
  expect(await pnrField.getAttribute('aria-invalid')).toBeNull();
  const afterRefused = await apiParticipants(null);
  expect(afterRefused.open.length + afterRefused.protected.length).toBe(before.open.length + before.protected.length);

  await page.getByRole('textbox', { name: 'Födelsedatum' }).fill(birthDate);
  await page.getByRole('button', { name: 'Registrera', exact: true }).click();
  await page.getByText('Deltagaren är registrerad.').waitFor();
  const newId = page.url().split('/').at(-1)!;
  expect(page.url()).toMatch(new RegExp(`/participants/[0-9a-f-]{36}$`));
  const registered = (await apiParticipants(null)).open.find((p) => p.id === newId)!;
  expect(registered).toMatchObject({ firstName: 'Testa', lastName: 'Registreradsson', personalIdentityNumber: pnr, phase: 'INTAKE' });
  await page.locator('[data-fact="name"]', { hasText: 'Testa Registreradsson' }).waitFor();
  const apiCase = await apiOperation<{ participant: { excludedMunicipalities: string[] } }>(
    w,
    'ParticipantCase',
    { id: newId },
    await w.region.bearer(Role.CASEWORKER, HUDDINGE, CASEWORKER_SUB),
  );
  const excludedText = await page.locator('[data-fact="excluded"]').innerText();
  for (const code of apiCase.data!.participant.excludedMunicipalities) expect(excludedText).toContain(code === '0127' ? 'Botkyrka (0127)' : code);
  expect(apiCase.data!.participant.excludedMunicipalities).toEqual(expect.arrayContaining(['0180', '0127']));

  // Change them: a household the API refuses (its own message, at the field), then one it takes.
  await page.getByRole('button', { name: 'Ändra uppgifterna' }).click();
  const editForm = page.getByRole('form', { name: 'Ändra deltagarens uppgifter' });
  const childrenField = editForm.getByRole('textbox', { name: 'Barn i hushållet' });
  await childrenField.fill('25');
  await editForm.getByRole('button', { name: 'Spara ändringarna' }).click();
  await editForm.locator('[data-field="householdChildren"] .field-error', { hasText: 'must be at most 20' }).waitFor();
  expect(await childrenField.getAttribute('aria-invalid')).toBe('true');
  await childrenField.fill('1');
  await editForm.getByRole('button', { name: /Fas/ }).click();
  await page.getByRole('option', { name: 'Utredning', exact: true }).click();
  await editForm.getByRole('button', { name: 'Spara ändringarna' }).click();
  await page.getByText('Ändringarna är sparade.').waitFor();
  const changed = await apiOperation<{
    participant: { householdAdults: number; householdChildren: number; phase: string; phaseHistory: { phase: string; changedAt: string }[] };
  }>(w, 'ParticipantCase', { id: newId }, await w.region.bearer(Role.CASEWORKER, HUDDINGE, CASEWORKER_SUB));
  expect(changed.data!.participant).toMatchObject({ householdAdults: 1, householdChildren: 1, phase: 'ASSESSMENT' });
  await page.locator('[data-fact="household"]', { hasText: 'vuxna: 1, barn: 1' }).waitFor();
  expect(await page.locator('[data-fact="phase"]').innerText()).toBe('Utredning');
  // The phase history as the API holds it: registered in intake, then assessment.
  expect(changed.data!.participant.phaseHistory.map((c) => c.phase)).toEqual(['INTAKE', 'ASSESSMENT']);
  await page.locator('table.phase-history tbody tr[data-phase="ASSESSMENT"]').waitFor();
  expect(await page.locator('table.phase-history tbody tr td:first-child').allInnerTexts()).toEqual(['Inskrivning', 'Utredning']);
  // The name is shown again after the change, as the API holds it.
  await page.locator('[data-fact="name"]', { hasText: 'Testa Registreradsson' }).waitFor();

  // A placement request for them: open, as the API holds it.
  const requestForm = page.getByRole('form', { name: 'Ny placeringsförfrågan' });
  for (const choice of ['Skyddat boende', 'Träningslägenhet', 'Akutplats', 'Stödboende', 'Mentor']) {
    await requestForm.locator('label.checkbox', { hasText: choice }).click();
    expect(await requestForm.getByRole('checkbox', { name: choice }).isChecked()).toBe(true);
  }
  await page.getByRole('button', { name: 'Skapa förfrågan' }).click();
  await page.getByText(/Förfrågan .+ är skapad\./).waitFor();
  const caseworker = await w.region.bearer(Role.CASEWORKER, HUDDINGE, 'test-reader');
  const requestsOf = async () =>
    (
      await apiOperation<{ participant: { placementRequests: { id: string; caseReference: string; status: string; placementId: string | null }[] } }>(
        w,
        'ParticipantCase',
        { id: newId },
        caseworker,
      )
    ).data!.participant.placementRequests;
  const [mistaken] = await requestsOf();
  expect(mistaken!.status).toBe('OPEN');
  const mistakenCard = page.locator(`li[data-request-id="${mistaken!.id}"]`);
  await mistakenCard.getByRole('heading', { name: `Förfrågan ${mistaken!.caseReference}` }).waitFor();
  expect(await mistakenCard.locator('.status').first().innerText()).toBe('Öppen');

  // A mistaken request is withdrawn, asked once more first ("Nej" changes nothing); then a new one can be made.
  await mistakenCard.getByRole('button', { name: 'Återkalla förfrågan' }).click();
  await mistakenCard.getByText(`Återkalla förfrågan ${mistaken!.caseReference}?`, { exact: false }).waitFor();
  await mistakenCard.getByRole('button', { name: 'Nej', exact: true }).click();
  expect((await requestsOf())[0]!.status).toBe('OPEN');
  await mistakenCard.getByRole('button', { name: 'Återkalla förfrågan' }).click();
  await mistakenCard.getByRole('button', { name: 'Ja, återkalla' }).click();
  await page.getByText(`Förfrågan ${mistaken!.caseReference} är återkallad.`).waitFor();
  expect((await requestsOf()).map((r) => [r.id, r.status])).toEqual([[mistaken!.id, 'CANCELLED']]);
  expect(await mistakenCard.getByRole('button', { name: 'Återkalla förfrågan' }).count()).toBe(0);
  for (const choice of ['Skyddat boende', 'Träningslägenhet', 'Akutplats', 'Stödboende', 'Mentor'])
    await requestForm.locator('label.checkbox', { hasText: choice }).click();
  await page.getByRole('button', { name: 'Skapa förfrågan' }).click();
  await page.getByText(/Förfrågan .+ är skapad\./).waitFor();
  const request = (await requestsOf()).find((r) => r.status === 'OPEN');
  const card = page.locator(`li[data-request-id="${request!.id}"]`);
  await card.getByRole('heading', { name: `Förfrågan ${request!.caseReference}` }).waitFor();
  // One request in progress at a time (the API's rule): no form for another now.
  await page.getByText('En förfrågan pågår redan.', { exact: false }).waitFor();
  expect(await requestForm.count()).toBe(0);

  // The region offers a unit (the coordinator, through the API); the caseworker follows it.
  const coordinator = await w.region.bearer(Role.COORDINATOR);
  const ranked = await apiOperation<{ bestUnitsFor: { unit: { municipalityCode: string; id: string } }[] }>(
    w,
    'BestUnitsFor',
    { requestMunicipality: HUDDINGE, requestId: request!.id, limit: 1 },
    coordinator,
  );
  const unit = ranked.data!.bestUnitsFor[0]!.unit;
  const offered = await apiOperation<{ offerPlacement: { id: string; status: string } }>(
    w,
    'OfferPlacement',
    {
      input: { requestMunicipality: HUDDINGE, requestId: request!.id, unitMunicipality: unit.municipalityCode, unitId: unit.id },
      idempotencyKey: `journey-${request!.id}`,
    },
    coordinator,
  );
  expect(offered.errors).toBeUndefined();
  await page.getByRole('button', { name: 'Uppdatera status' }).click();
  const [followed] = await requestsOf();
  expect(followed!.status).toBe('OFFERED');
  await card.locator('.status', { hasText: 'Erbjuden' }).first().waitFor();
  const apiPlacement = (
    await apiOperation<{ placement: { status: string; receivingMunicipality: { name: string } } }>(
      w,
      'RequestPlacement',
      { id: followed!.placementId },
      caseworker,
    )
  ).data!.placement;
  const placementCard = card.locator(`[data-placement-id="${followed!.placementId}"]`);
  await placementCard.waitFor();
  expect(await placementCard.innerText()).toContain(apiPlacement.receivingMunicipality.name);
  // The unit's address: only as the API answers, which refuses it while the booking is not confirmed.
  const address = await apiOperation<{ placement: { unit: { streetAddress: string | null } } }>(
    w,
    'PlacementUnitAddress',
    { id: followed!.placementId },
    caseworker,
  );
  expect(address.data?.placement.unit.streetAddress ?? null).toBeNull();
  expect(JSON.stringify(address.errors)).toContain('FORBIDDEN');
  await placementCard.getByRole('button', { name: 'Visa boendets adress' }).click();
  await placementCard.getByText('Adressen lämnas ut först när boendet har en bekräftad bokning för kommunen.').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'participant-request-followed');

  // A protected identity: masked until revealed with a stated purpose.
  const hidden = everyone.protected[0]!;
  await page.getByRole('link', { name: 'Deltagare', exact: true }).click();
  await page.locator(`tr[data-participant-id="${hidden.id}"] a`).click();
  await page.getByText('Skyddade personuppgifter.').waitFor();
  expect(await page.locator('[data-fact="name"]').count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'participant-protected');
  await page.getByRole('button', { name: 'Visa personuppgifterna' }).click();
  await page.locator('[data-field="purpose"] .field-error', { hasText: 'Ange varför du behöver se uppgifterna.' }).waitFor();
  expect(await page.locator('[data-fact="name"]').count()).toBe(0);
  await page.getByRole('textbox', { name: 'Syfte' }).fill(PURPOSE);
  await page.getByRole('button', { name: 'Visa personuppgifterna' }).click();
  await page.locator('[data-fact="name"]').waitFor();
  const identity = (
    await apiOperation<{ participant: { firstName: string; lastName: string; personalIdentityNumber: string } }>(
      w,
      'ParticipantIdentity',
      { id: hidden.id },
      caseworker,
    )
  ).data!.participant;
  expect(await page.locator('[data-fact="name"]').innerText()).toBe(`${identity.firstName} ${identity.lastName}`);
  expect(await page.locator('[data-fact="personalIdentityNumber"]').innerText()).toBe(identity.personalIdentityNumber);

  // The audit log, asked as Huddinge's auditor: the reveal is recorded with the purpose as stated.
  const log = await apiOperation<{ auditLog: { subjectId: string; action: string; purpose: string | null }[] }>(
    w,
    'AuditLog',
    { actorSub: CASEWORKER_SUB, action: 'READ_PARTICIPANT', limit: 1000 },
    await w.region.bearer(Role.AUDITOR, HUDDINGE),
  );
  expect(log.errors).toBeUndefined();
  const readsOfHidden = log.data!.auditLog.filter((e) => e.subjectId === hidden.id);
  expect(readsOfHidden.map((e) => e.purpose)).toContain(PURPOSE);

  // Hidden again; revealed again with a purpose a header cannot carry as typed (a date, a character
  // beyond Latin-1): recorded with the date masked and the character replaced, never refused or lost.
  await page.getByRole('button', { name: 'Dölj personuppgifterna' }).click();
  expect(await page.locator('[data-fact="name"]').count()).toBe(0);
  await page.getByRole('textbox', { name: 'Syfte' }).fill('Samtal 2026-12-05 ✓');
  await page.getByRole('button', { name: 'Visa personuppgifterna' }).click();
  await page.locator('[data-fact="name"]').waitFor();
  const again = await apiOperation<{ auditLog: { subjectId: string; purpose: string | null }[] }>(
    w,
    'AuditLog',
    { actorSub: CASEWORKER_SUB, action: 'READ_PARTICIPANT', purpose: 'Samtal', limit: 1000 },
    await w.region.bearer(Role.AUDITOR, HUDDINGE),
  );
  expect(again.data!.auditLog.filter((e) => e.subjectId === hidden.id).map((e) => e.purpose)).toEqual(['Samtal # ?']);

  // In English too.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Participant’s case', level: 1 }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'participant-caseworker-en');
  await page.context().close();
}, 300_000);
