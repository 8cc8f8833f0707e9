import { accessRequestDocument, type AccessRequestAnswer, type RecordedRead } from './access-request-document';
import { renderAccessRequestHtml } from './access-request-html';
import { html } from './html-template';

const read = (municipalityCode: string, seq: number, occurredAt: string, purpose: string | null): RecordedRead => ({
  municipalityCode,
  seq,
  occurredAt,
  actorSub: `reader-${municipalityCode}-${seq}`,
  actorRoles: ['HOUSING_MANAGER'],
  actorMunicipality: municipalityCode,
  action: 'READ_STREET_ADDRESS',
  subjectType: 'HousingUnit',
  purpose,
});

const answer = (protectedIdentity: boolean): AccessRequestAnswer => ({
  producedAt: '2026-12-05T10:00:00.000Z',
  municipalityCode: '0126',
  participant: {
    id: 'p-1',
    firstName: 'Ada<b>',
    lastName: 'Lund',
    personalIdentityNumber: '199001019802',
    protectedIdentity,
    birthDate: '1990-01-01',
    gender: 'FEMALE',
    householdAdults: 1,
    householdChildren: 0,
    phase: 'PLACED',
    referralSource: 'POLICE',
    riskLevel: 'HIGH',
    excludedMunicipalities: ['0180'],
    intakeDate: '2026-01-01',
    exitDate: null,
    exitOutcome: null,
    responsibleCaseworker: 'cw',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    phaseHistory: [
      { phase: 'INTAKE', changedAt: '2026-01-01T00:00:00.000Z' },
      { phase: 'PLACED', changedAt: '2026-02-01T00:00:00.000Z' },
    ],
    placementRequests: [
      {
        id: 'r-1',
        caseReference: 'abcdef0123456789abcdef',
        status: 'ACTIVE',
        urgency: 'HIGH',
        earliestStart: '2026-02-01',
        expectedDurationDays: 30,
        createdAt: '2026-01-02T00:00:00.000Z',
        ageBand: '31_35',
        householdSize: 1,
        children: 0,
        excludedMunicipalities: ['0126'],
        needsWheelchairAccess: false,
        supportNeeds: [],
        allowedKinds: ['PROTECTED'],
        placements: [
          {
            id: 'pl-1',
            status: 'ACTIVE',
            places: 1,
            startsOn: '2026-02-01',
            endsOn: '2026-03-03',
            createdAt: '2026-01-03T00:00:00.000Z',
            receivingMunicipality: { code: '0138', name: 'Tyresö' },
            history: [],
            booking: { municipalityCode: '0138', addressReads: [read('0138', 7, '2026-02-02T08:00:00.000Z', '<script>alert(1)</script>')] },
          },
        ],
      },
    ],
  },
  reads: [read('0126', 3, '2026-01-01T09:00:00.000Z', 'uppföljning'), read('0126', 9, '2026-12-05T10:00:00.000Z', null)],
});

describe('The register extract', () => {
  it('puts the reads of every municipality in one list, oldest first, and the placements without their booking references', () => {
    const document = accessRequestDocument(answer(false));
    expect(document.reads.map((r) => `${r.municipalityCode}#${r.seq}`)).toEqual(['0126#3', '0138#7', '0126#9']);
    expect(document.placementRequests[0]!.placements![0]).not.toHaveProperty('booking');
    expect(document.incomplete).toEqual([]);
  });

  it('shows the phases in words, each with when it began in Swedish time (UTC+1 in February), apart from the personal data', () => {
    const page = renderAccessRequestHtml(accessRequestDocument(answer(false)), 'sv');
    const phases = page.slice(page.indexOf('<h2>Faser i programmet</h2>'), page.indexOf('<h2>', page.indexOf('<h2>Faser i programmet</h2>') + 1));
    expect(phases.replace(/\s+/g, ' ')).toContain('<th scope="row">2026-02-01 01:00</th> <td>Placerad</td>');
    expect(phases).toContain('Inskrivning');
    expect(page).not.toContain('[object Object]');
  });

  /** The value cell of the row labelled `label` (the first such row). */
  const cell = (page: string, label: string) => new RegExp(`<th scope="row">${label}</th>\\s*<td>([^<]*)</td>`).exec(page)?.[1];

  it('gives the person its values in words and its times in Swedish time, not the API’s codes and UTC', () => {
    const sv = renderAccessRequestHtml(accessRequestDocument(answer(false)), 'sv');
    expect(
      ['Kön', 'Fas', 'Remitterad av', 'Risknivå', 'Skyddade personuppgifter', 'Registrerad', 'Angelägenhet', 'Åldersgrupp', 'Boendeformer', 'Framtaget'].map(
        (label) => cell(sv, label),
      ),
    ).toEqual(['Kvinna', 'Placerad', 'Polisen', 'Hög', 'Nej', '2026-01-01 01:00', 'Hög', '31–35 år', 'Skyddat boende', '2026-12-05 11:00']);
    // A request’s status; a read’s time (winter: UTC+1) and the reader’s role.
    expect(sv).toContain('<h3>Pågående · 2026-01-02 01:00</h3>');
    expect(sv.replace(/\s+/g, ' ')).toContain('<td>2026-02-02 09:00</td> <td>0138</td> <td>reader-0138-7</td> <td>boendeansvarig</td>');
    expect(sv).toContain('Tidpunkter anges i svensk tid.');
    expect(sv).not.toMatch(/\b(FEMALE|PLACED|POLICE|HIGH|PROTECTED|HOUSING_MANAGER|ACTIVE)\b|T\d{2}:\d{2}:\d{2}/);
    // Text the person or a caseworker wrote stays exactly as written, even when it looks like a moment or a code.
    const written = answer(false);
    written.participant.lastName = '2026-01-01T00:00:00Z';
    written.participant.responsibleCaseworker = 'HIGH';
    const asWritten = renderAccessRequestHtml(accessRequestDocument(written), 'sv');
    expect([cell(asWritten, 'Efternamn'), cell(asWritten, 'Ansvarig handläggare')]).toEqual(['2026-01-01T00:00:00Z', 'HIGH']);
    const en = renderAccessRequestHtml(accessRequestDocument(answer(true)), 'en');
    expect(['Gender', 'Protected personal data', 'Kinds of housing'].map((label) => cell(en, label))).toEqual(['Female', 'Yes', 'Protected housing']);
  });

  it('names what could not be fetched, once per message', () => {
    const errors = [{ message: 'Municipality 0138 is unavailable' }, { message: 'Municipality 0138 is unavailable' }];
    expect(accessRequestDocument(answer(false), errors).incomplete).toEqual(['Municipality 0138 is unavailable']);
  });

  it('escapes every value, so a purpose or a name cannot become markup', () => {
    const html = renderAccessRequestHtml(accessRequestDocument(answer(false)));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Ada&lt;b&gt;');
  });

  it('marks a protected identity, in the chosen language, and only then', () => {
    const notice = (html: string) => /<p class="notice" role="note">([^<]*)<\/p>/.exec(html)?.[1];
    expect(notice(renderAccessRequestHtml(accessRequestDocument(answer(true)), 'sv'))).toMatch(/^Skyddade personuppgifter:/);
    expect(notice(renderAccessRequestHtml(accessRequestDocument(answer(true)), 'en'))).toMatch(/^Protected personal data:/);
    expect(notice(renderAccessRequestHtml(accessRequestDocument(answer(false)), 'sv'))).toBeUndefined();
  });
});

describe('The html template', () => {
  it('escapes values, keeps its own markup, joins arrays and leaves nothing for null, undefined and false', () => {
    const inner = html`<i>${'a&b'}</i>`;
    expect(html`<p title="${'"x"'}">${inner}${['<', '>']}${null}${undefined}${false}${0}</p>`.markup).toBe(
      '<p title="&quot;x&quot;"><i>a&amp;b</i>&lt;&gt;0</p>',
    );
  });
});
