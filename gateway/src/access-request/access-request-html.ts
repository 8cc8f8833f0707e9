import type { AccessRequestDocument, RecordedRead } from './access-request-document';
import { inWords, moment } from './extract-words';
import { html, SafeHtml } from './html-template';

/**
 * The extract as a printable HTML page: a small server-rendered template (html-template.ts), every
 * value escaped by construction. One static page needs no UI library; React's server renderer was
 * tried and dropped, because its global DOM typings then reach every workspace that compiles the
 * gateway (the browser tests' page callbacks stopped type-checking). No script, no external
 * resource, one inline style sheet: the route's Content-Security-Policy allows nothing else.
 */

export type Language = 'sv' | 'en';

const TEXT = {
  sv: {
    title: 'Registerutdrag',
    subtitle: 'Uppgifter om en deltagare i avhopparverksamheten (artikel 15 i dataskyddsförordningen)',
    produced: 'Framtaget',
    home: 'Hemkommun (kommunkod)',
    protectedIdentity: 'Skyddade personuppgifter: lämna inte ut utdraget utan att följa kommunens rutin för skyddade personuppgifter.',
    review: 'Sekretessprövning görs innan utdraget lämnas ut.',
    times: 'Tidpunkter anges i svensk tid.',
    incomplete: 'Utdraget är inte fullständigt. Det som inte kunde hämtas:',
    personal: 'Personuppgifter',
    phases: 'Faser i programmet',
    requests: 'Ansökningar om boende och placeringar',
    noRequests: 'Inga ansökningar om boende.',
    placements: 'Placeringar',
    noPlacements: 'Inga placeringar.',
    history: 'Händelser',
    reads: 'Vem har läst uppgifterna',
    readsNote: 'Varje läsning som en kommun har loggat, också läsningar av adressen till bostaden där deltagaren placerats.',
    noReads: 'Inga loggade läsningar.',
    columns: ['När', 'Loggad i kommun', 'Vem', 'Roll', 'Läsarens kommun', 'Vad', 'Syfte'],
  },
  en: {
    title: 'Register extract',
    subtitle: 'Data held about a participant of the exit programme (GDPR article 15)',
    produced: 'Produced',
    home: 'Home municipality (kommunkod)',
    protectedIdentity: "Protected personal data: hand this extract out only by the municipality's procedure for protected identities.",
    review: 'A secrecy review is made before the extract is handed out.',
    times: 'Times are given in Swedish time.',
    incomplete: 'The extract is not complete. What could not be fetched:',
    personal: 'Personal data',
    phases: 'Phases in the programme',
    requests: 'Housing requests and placements',
    noRequests: 'No housing requests.',
    placements: 'Placements',
    noPlacements: 'No placements.',
    history: 'Events',
    reads: 'Who has read the data',
    readsNote: 'Every read a municipality logged, including reads of the address of the unit the participant was placed in.',
    noReads: 'No logged reads.',
    columns: ['When', 'Logged in municipality', 'Who', 'Role', "Reader's municipality", 'What', 'Purpose'],
  },
} as const;

const ACTIONS: Record<Language, Record<string, string>> = {
  sv: {
    READ_PARTICIPANT: 'Läste personuppgifter',
    READ_STREET_ADDRESS: 'Läste bostadens adress',
    READ_AUDIT_LOG: 'Läste loggen',
    ACCESS_REQUEST: 'Tog fram registerutdrag',
  },
  en: {
    READ_PARTICIPANT: 'Read the personal data',
    READ_STREET_ADDRESS: "Read the unit's address",
    READ_AUDIT_LOG: 'Read the log',
    ACCESS_REQUEST: 'Produced a register extract',
  },
};

/** Our own constant, so inserted as markup. */
/** The document's field names as the page shows them; a field without one shows its name. */
const LABELS: Record<Language, Record<string, string>> = {
  sv: {
    id: 'Id',
    firstName: 'Förnamn',
    lastName: 'Efternamn',
    personalIdentityNumber: 'Personnummer',
    protectedIdentity: 'Skyddade personuppgifter',
    birthDate: 'Födelsedatum',
    gender: 'Kön',
    householdAdults: 'Vuxna i hushållet',
    householdChildren: 'Barn i hushållet',
    phase: 'Fas',
    referralSource: 'Remitterad av',
    riskLevel: 'Risknivå',
    excludedMunicipalities: 'Kommuner att undvika (kommunkod)',
    intakeDate: 'Inskriven',
    exitDate: 'Utskriven',
    exitOutcome: 'Utfall',
    responsibleCaseworker: 'Ansvarig handläggare',
    createdAt: 'Registrerad',
    updatedAt: 'Senast ändrad',
    caseReference: 'Ärendereferens (pseudonym)',
    status: 'Status',
    urgency: 'Angelägenhet',
    earliestStart: 'Tidigast från',
    expectedDurationDays: 'Beräknad tid (dagar)',
    ageBand: 'Åldersgrupp',
    householdSize: 'Personer att placera',
    children: 'Barn',
    needsWheelchairAccess: 'Behöver tillgänglighet för rullstol',
    supportNeeds: 'Stödbehov',
    allowedKinds: 'Boendeformer',
    places: 'Platser',
    startsOn: 'Från',
    endsOn: 'Utflyttning',
    receivingMunicipality: 'Mottagande kommun',
  },
  en: {
    id: 'Id',
    firstName: 'First name',
    lastName: 'Last name',
    personalIdentityNumber: 'Personal identity number',
    protectedIdentity: 'Protected personal data',
    birthDate: 'Date of birth',
    gender: 'Gender',
    householdAdults: 'Adults in the household',
    householdChildren: 'Children in the household',
    phase: 'Phase',
    referralSource: 'Referred by',
    riskLevel: 'Risk level',
    excludedMunicipalities: 'Municipalities to avoid (kommunkod)',
    intakeDate: 'Intake',
    exitDate: 'Exit',
    exitOutcome: 'Outcome',
    responsibleCaseworker: 'Responsible caseworker',
    createdAt: 'Registered',
    updatedAt: 'Last changed',
    caseReference: 'Case reference (pseudonym)',
    status: 'Status',
    urgency: 'Urgency',
    earliestStart: 'Earliest start',
    expectedDurationDays: 'Expected length (days)',
    ageBand: 'Age band',
    householdSize: 'People to place',
    children: 'Children',
    needsWheelchairAccess: 'Needs wheelchair access',
    supportNeeds: 'Support needs',
    allowedKinds: 'Kinds of housing',
    places: 'Places',
    startsOn: 'From',
    endsOn: 'Moving out',
    receivingMunicipality: 'Receiving municipality',
  },
};

const STYLE = new SafeHtml(`body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#111}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #888;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}.notice{border:3px solid #111;padding:.5rem 1rem;font-weight:bold}@media print{body{margin:0}}`);

const NONE = '–';
const shown = (v: unknown): string => (v === null || v === undefined || v === '' ? NONE : Array.isArray(v) ? v.join(', ') || NONE : String(v));

/** The document's fields as labelled rows, in the page's language, their values in words (extract-words.ts). */
const labelled = (entries: readonly (readonly [string, unknown])[], language: Language): [string, unknown][] =>
  entries.map(([key, v]) => [LABELS[language][key] ?? key, inWords(key, v, language)]);

/** A table of labelled values, one row each. */
const facts = (rows: readonly (readonly [string, unknown])[]): SafeHtml =>
  html`<table>
    <tbody>
      ${rows.map(
        ([label, v]) =>
          html`<tr>
            <th scope="row">${label}</th>
            <td>${shown(v)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;

function readsTable(reads: readonly RecordedRead[], language: Language): SafeHtml {
  const t = TEXT[language];
  if (!reads.length) return html`<p>${t.noReads}</p>`;
  const head = html`<tr>
    ${t.columns.map((c) => html`<th scope="col">${c}</th>`)}
  </tr>`;
  const rows = reads.map(
    (r) =>
      html`<tr>
        <td>${moment(r.occurredAt)}</td>
        <td>${r.municipalityCode}</td>
        <td>${r.actorSub}</td>
        <td>${shown(inWords('actorRoles', r.actorRoles, language))}</td>
        <td>${shown(r.actorMunicipality)}</td>
        <td>${ACTIONS[language][r.action] ?? r.action}</td>
        <td>${shown(r.purpose)}</td>
      </tr>`,
  );
  return html`<table>
    <thead>
      ${head}
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function requestsSection(document: AccessRequestDocument, language: Language): SafeHtml {
  const t = TEXT[language];
  if (!document.placementRequests.length) return html`<p>${t.noRequests}</p>`;
  return html`${document.placementRequests.map(({ placements, ...request }) => {
    const placed = placements?.length
      ? placements.map(
          ({ history, receivingMunicipality, ...placement }) =>
            html`${facts(
                labelled(
                  [
                    ...Object.entries(placement),
                    ['receivingMunicipality', receivingMunicipality && `${receivingMunicipality.name} (${receivingMunicipality.code})`],
                  ],
                  language,
                ),
              )}
              <h5>${t.history}</h5>
              ${facts(
                history.map((e) => [
                  moment(e.at),
                  `${shown(inWords('status', e.fromStatus, language))} → ${shown(inWords('status', e.toStatus, language))} (${e.actorSub})${e.note ? `: ${shown(inWords('note', e.note, language))}` : ''}`,
                ]),
              )}`,
        )
      : html`<p>${t.noPlacements}</p>`;
    return html`<section>
      <h3>${shown(inWords('status', request.status, language))} · ${moment(request.createdAt)}</h3>
      ${facts(labelled(Object.entries(request), language))}
      <h4>${t.placements}</h4>
      ${placed}
    </section>`;
  })}`;
}

/** The whole page, `<!doctype html>` included. */
export function renderAccessRequestHtml(document: AccessRequestDocument, language: Language = 'sv'): string {
  const t = TEXT[language];
  const { phaseHistory, ...p } = document.participant;
  const incomplete = document.incomplete.length
    ? html`<div class="notice" role="alert">
        <p>${t.incomplete}</p>
        <ul>
          ${document.incomplete.map((m) => html`<li>${m}</li>`)}
        </ul>
      </div>`
    : null;
  return html`<!doctype html>
    <html lang="${language}">
      <head>
        <meta charset="utf-8" />
        <title>${t.title}</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <h1>${t.title}</h1>
        <p>${t.subtitle}</p>
        <p>${t.times}</p>
        ${facts([
          [t.produced, moment(document.producedAt)],
          [t.home, document.municipalityCode],
        ])}
        ${p.protectedIdentity ? html`<p class="notice" role="note">${t.protectedIdentity}</p>` : null}
        <p>${t.review}</p>
        ${incomplete}
        <h2>${t.personal}</h2>
        ${facts(labelled(Object.entries(p), language))}
        <h2>${t.phases}</h2>
        ${facts(phaseHistory.map((change) => [moment(change.changedAt), inWords('phase', change.phase, language)]))}
        <h2>${t.requests}</h2>
        ${requestsSection(document, language)}
        <h2>${t.reads}</h2>
        <p>${t.readsNote}</p>
        ${readsTable(document.reads, language)}
      </body>
    </html>`.markup;
}
