import type { EventData, EventType } from './event-types';
import type { NotificationEvent } from './notification-event.entity';

/** A notification as sent: a one-line title, plain text, and the JSON a webhook carries. */
export interface Message {
  title: string;
  text: string;
  json: {
    id: string;
    type: EventType;
    occurredAt: string;
    title: string;
    text: string;
    link: string | null;
    data: EventData & { names: Record<string, string> };
  };
}

const stockholm = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' });
const at = (iso: string | undefined) => (iso ? stockholm.format(new Date(iso)) : '?');

/** Titles in Swedish, the duty officers' language; each says what to do, if anything. */
const TITLES: Record<EventType, (d: EventData, name: (code?: string) => string) => string> = {
  'placement.offered': (d, name) => `Erbjudande om placering från ${name(d.sendingMunicipality)}: svara senast ${at(d.deadline)}`,
  'placement.hold-lapsing': (d, name) => `Erbjudandet från ${name(d.sendingMunicipality)} löper ut ${at(d.deadline)}: svara nu`,
  'placement.accepted': (d, name) => `${name(d.receivingMunicipality)} har accepterat placeringen: förbered inflyttningen ${d.startsOn}`,
  'placement.declined': (d, name) => `${name(d.receivingMunicipality)} har avböjt placeringen${d.reason ? ` (${d.reason})` : ''}: förfrågan är öppen igen`,
  'placement.expired': (d, name) => `Erbjudandet i ${name(d.receivingMunicipality)} löpte ut utan svar: förfrågan är öppen igen`,
  'placement.cancelled': (d) => `Placeringen har avbrutits${d.reason ? ` (${d.reason})` : ''}: platserna är frigjorda`,
  'placement.moved-in': (d, name) => `Inflyttning registrerad i ${name(d.receivingMunicipality)}`,
  'placement.ended': (d, name) => `Placeringen i ${name(d.receivingMunicipality)} är avslutad (utflyttning ${d.endsOn})`,
  'placement.ending-soon': (d, name) => `Placeringen i ${name(d.receivingMunicipality)} slutar ${d.endsOn}`,
  'municipality.unavailable': (d, name) => `${name(d.municipality)} svarar inte sedan ${at(d.unreachableSince)}`,
  'municipality.available': (d, name) => `${name(d.municipality)} svarar igen (borta sedan ${at(d.unreachableSince)})`,
  'reconcile.repaired': () => 'Avstämningen av placeringar har reparerat steg som avbrutits',
};

/** Renders an event for people: every field it has, with municipality names, and a link for placements. */
export function renderMessage(event: NotificationEvent, names: ReadonlyMap<string, string>, webAppUrl: string): Message {
  const d = event.data;
  const name = (code?: string) => (code ? `${names.get(code) ?? 'kommun'} (${code})` : '?');
  const title = TITLES[event.type](d, name);
  const link = d.placementId ? `${webAppUrl}/placements/${d.placementId}` : null;
  const lines = [
    title,
    '',
    d.placementId && `Placering: ${d.placementId}`,
    d.sendingMunicipality && `Från: ${name(d.sendingMunicipality)}`,
    d.receivingMunicipality && `Till: ${name(d.receivingMunicipality)}, boende ${d.unitId}`,
    d.places !== undefined && `Platser: ${d.places}`,
    d.startsOn && `Period: ${d.startsOn} – ${d.endsOn}`,
    d.deadline && `Svara senast: ${at(d.deadline)} (${d.deadline})`,
    d.reason && `Skäl: ${d.reason}`,
    d.municipality && `Kommun: ${name(d.municipality)}`,
    d.repairs &&
      `Reparerat: ${Object.entries(d.repairs)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    link && `Öppna: ${link}`,
    '',
    `Händelse ${event.id} (${event.type}). Meddelandet innehåller inga personuppgifter; se detaljerna i systemet.`,
  ].filter((line): line is string => typeof line === 'string');
  const codes = [d.sendingMunicipality, d.receivingMunicipality, d.municipality].filter((c): c is string => !!c);
  return {
    title,
    text: lines.join('\n'),
    json: {
      id: event.id,
      type: event.type,
      occurredAt: event.createdAt.toISOString(),
      title,
      text: lines.join('\n'),
      link,
      data: { ...d, names: Object.fromEntries(codes.map((c) => [c, names.get(c) ?? c])) },
    },
  };
}
