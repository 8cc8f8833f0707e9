import { useState, type FormEvent } from 'react';
import { Button, FieldError, Form, Input, Label, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { CombinedError, useClient, useQuery } from 'urql';
import { SelectField } from '../components/SelectField';
import { OtherErrors } from '../components/UnavailableBanner';
import { fieldProblems } from '../field-problems';
import { addDays, formatDateTime, formatNumber, startOfDayInStockholm } from '../format';
import { AuditChainVerificationDocument, AuditLogDocument, RegionMembersDocument, type AuditLogQuery } from '../gql/graphql';
import { useSession } from '../session';

/**
 * Every action the API's filter accepts (the municipal subgraph's AUDIT_ACTIONS). CULLED is not one:
 * it marks a row whose content retention removed, shown in words in the table but not filterable.
 */
const ACTIONS = ['READ_PARTICIPANT', 'READ_STREET_ADDRESS', 'READ_AUDIT_LOG', 'ACCESS_REQUEST', 'CULL', 'LEGAL_HOLD_PLACED', 'LEGAL_HOLD_LIFTED'] as const;
/** Rows per page; "Visa fler" continues after the last one shown. */
export const AUDIT_PAGE = 100;

type Entry = AuditLogQuery['auditLog'][number];
interface Filters {
  actorSub: string;
  action: string;
  from: string;
  /** Last day included, as people say it; the API's `to` is the next day's start. */
  through: string;
  purpose: string;
}
const NO_FILTERS: Filters = { actorSub: '', action: 'ANY', from: '', through: '', purpose: '' };

/**
 * The auditor's page: the own municipality's audit log (who read which personal data, when, and
 * why they said they did), filtered by who, what, when and purpose, and whether the log's hash
 * chain is unbroken. Every filter is checked by the API, whose message is shown at its field.
 * Reading the log is itself recorded in it.
 */
export function AuditLog() {
  const { t } = useTranslation();
  const user = useSession().user!;
  const client = useClient();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [shown, setShown] = useState<{ entries: Entry[]; more: boolean } | null>(null);
  const [error, setError] = useState<CombinedError | undefined>();
  const [loading, setLoading] = useState(false);
  const problems = fieldProblems(error);
  const [{ data: members }] = useQuery({ query: RegionMembersDocument });
  const own = members?.region.municipalities.find((m) => m.code === user.municipality);

  const variablesOf = (f: Filters) => ({
    limit: AUDIT_PAGE,
    actorSub: f.actorSub.trim() || null,
    action: f.action === 'ANY' ? null : f.action,
    purpose: f.purpose.trim() || null,
    from: f.from ? startOfDayInStockholm(f.from) : null,
    to: f.through ? startOfDayInStockholm(addDays(f.through, 1)) : null,
  });
  const load = async (afterSeq: number | null) => {
    setLoading(true);
    const answer = await client.query(AuditLogDocument, { ...variablesOf(draft), afterSeq }, { requestPolicy: 'network-only' }).toPromise();
    setLoading(false);
    setError(answer.error);
    if (!answer.data) {
      // A refused search shows no rows: those of the filter before would read as its answer.
      if (afterSeq === null) setShown(null);
      return;
    }
    const page = answer.data.auditLog;
    setShown((before) => ({ entries: [...(afterSeq !== null && before ? before.entries : []), ...page], more: page.length === AUDIT_PAGE }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void load(null);
  };
  const set = (field: keyof Filters, value: string) => setDraft((d) => ({ ...d, [field]: value }));

  return (
    <>
      <h1>{t('audit.titleOf', { municipality: own ? `${own.name} (${own.code})` : (user.municipality ?? '') })}</h1>
      <ChainVerification />
      <h2>{t('audit.log')}</h2>
      <Form onSubmit={submit} validationBehavior="aria" className="filters" aria-label={t('audit.filters')}>
        <TextField value={draft.actorSub} onChange={(v) => set('actorSub', v)} className="field" isInvalid={problems.has('actorSub')}>
          <Label>{t('audit.who')}</Label>
          <Input autoComplete="off" />
          <FieldError className="field-error">{problems.get('actorSub')}</FieldError>
        </TextField>
        <SelectField
          label={t('audit.what')}
          options={[{ id: 'ANY', label: t('audit.anyAction') }, ...ACTIONS.map((a) => ({ id: a, label: t(`audit.actions.${a}`) }))]}
          selected={draft.action}
          onChange={(id) => set('action', id)}
          error={problems.get('action')}
        />
        <TextField value={draft.from} onChange={(v) => set('from', v)} className="field" isInvalid={problems.has('from')}>
          <Label>{t('audit.from')}</Label>
          <Input type="date" />
          <FieldError className="field-error">{problems.get('from')}</FieldError>
        </TextField>
        <TextField value={draft.through} onChange={(v) => set('through', v)} className="field" isInvalid={problems.has('to')}>
          <Label>{t('audit.through')}</Label>
          <Input type="date" />
          <FieldError className="field-error">{problems.get('to')}</FieldError>
        </TextField>
        <TextField value={draft.purpose} onChange={(v) => set('purpose', v)} className="field" isInvalid={problems.has('purpose')}>
          <Label>{t('audit.purpose')}</Label>
          <Input autoComplete="off" />
          <FieldError className="field-error">{problems.get('purpose')}</FieldError>
        </TextField>
        <Button type="submit" className="button primary">
          {t('audit.show')}
        </Button>
      </Form>
      {problems.size === 0 && <OtherErrors error={error} />}
      <p aria-live="polite" className="summary">
        {loading ? t('audit.loading') : shown ? t('audit.count', { count: shown.entries.length, formatted: formatNumber(shown.entries.length) }) : ''}
      </p>
      {shown && shown.entries.length > 0 && <EntryTable entries={shown.entries} />}
      {shown?.more && (
        <Button className="button" onPress={() => void load(shown.entries.at(-1)!.seq)}>
          {t('audit.more')}
        </Button>
      )}
    </>
  );
}

function EntryTable({ entries }: { entries: Entry[] }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-scroller" tabIndex={0} role="region" aria-label={t('audit.log')}>
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">{t('audit.seq')}</th>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.what')}</th>
            <th scope="col">{t('audit.subject')}</th>
            <th scope="col">{t('audit.purpose')}</th>
            <th scope="col">{t('audit.request')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} data-seq={e.seq}>
              <td className="number">{e.seq}</td>
              <td>{formatDateTime(String(e.occurredAt), i18n.language)}</td>
              <td>
                {e.actorSub}
                <br />
                <span className="muted">
                  {e.actorRoles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', ')}
                  {e.actorMunicipality && ` (${e.actorMunicipality})`}
                </span>
              </td>
              <td>{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</td>
              <td>
                {e.subjectType} {e.subjectId}
              </td>
              <td>{e.purpose ?? <span className="muted">{t('audit.noPurpose')}</span>}</td>
              <td className="request-id">{e.requestId}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The chain's verification: unbroken, or each place where it does not hold. */
function ChainVerification() {
  const { t, i18n } = useTranslation();
  const [{ data, error, fetching }, verify] = useQuery({ query: AuditChainVerificationDocument, requestPolicy: 'network-only' });
  const result = data?.auditChainVerification;
  return (
    <section aria-labelledby="chain-title" className="chain">
      <h2 id="chain-title">{t('audit.chain')}</h2>
      <OtherErrors error={error} />
      <div aria-live="polite">
        {fetching && <p>{t('audit.verifying')}</p>}
        {!fetching && result && (
          <div className={`banner ${result.intact ? 'banner-success' : 'banner-error'}`} data-intact={result.intact}>
            <p>
              <strong>{result.intact ? t('audit.intact') : t('audit.broken')}</strong>{' '}
              {t('audit.checked', {
                count: result.rows,
                formatted: formatNumber(result.rows),
                last: result.lastSeq ?? 0,
                when: formatDateTime(String(result.verifiedAt), i18n.language),
              })}
            </p>
            {result.problems.length > 0 && (
              <ul>
                {result.problems.map((p, i) => (
                  <li key={i}>
                    {t('audit.seq')} {p.seq}: <span lang="en">{p.problem}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      <Button className="button" onPress={() => verify({ requestPolicy: 'network-only' })} isDisabled={fetching}>
        {t('audit.verifyAgain')}
      </Button>
    </section>
  );
}
