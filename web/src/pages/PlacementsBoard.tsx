import { useMemo, useRef, useState } from 'react';
import { Button, FieldError, Input, Label, TextField } from 'react-aria-components';
import { SelectField } from '../components/SelectField';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useMutation, useQuery, type AnyVariables, type TypedDocumentNode } from 'urql';
import { OtherErrors, UnavailableBanner } from '../components/UnavailableBanner';
import { fieldProblems } from '../field-problems';
import { keyFor } from '../step-keys';
import { formatDate, formatDateTime } from '../format';
import {
  AcceptPlacementDocument,
  CancelPlacementDocument,
  DeclinePlacementDocument,
  EndPlacementDocument,
  PlacementsDocument,
  ReceivingPlacementsDocument,
  RecordMoveInDocument,
  type PlacementReason,
  type PlacementStatus,
  type PlacementsQuery,
  type ReceivingPlacementsQuery,
} from '../gql/graphql';
import { hasRole, useSession, type SessionUser } from '../session';

type Placement = PlacementsQuery['placements'][number] | ReceivingPlacementsQuery['placements'][number];
const STATUSES: PlacementStatus[] = ['PENDING_OFFER', 'OFFERED', 'ACCEPTED', 'ACTIVE', 'ENDED', 'DECLINED', 'EXPIRED', 'CANCELLED', 'FAILED'];
const REASONS: PlacementReason[] = [
  'UNIT_NOT_AVAILABLE',
  'UNIT_NOT_SUITABLE',
  'SAFETY',
  'PARTICIPANT_DECLINED',
  'NO_LONGER_NEEDED',
  'OTHER_SOLUTION_FOUND',
  'OTHER',
];
const isReason = (note: string | null | undefined): note is PlacementReason => REASONS.includes(note as PlacementReason);

/** Every placement the user is a party to (coordinators: all), by status, with its history and the steps the user may take. */
export function PlacementsBoard() {
  const { t } = useTranslation();
  const { placementId } = useParams();
  const [status, setStatus] = useState<PlacementStatus | null>(null);
  const variables = useMemo(() => ({ statuses: status ? [status] : null }), [status]);
  // A housing manager reads no request (that is the sending municipality's): their own operation.
  const { user } = useSession();
  const receivingOnly = hasRole(user, 'HOUSING_MANAGER') && !hasRole(user, 'CASEWORKER', 'COORDINATOR');
  const [full, reloadFull] = useQuery({ query: PlacementsDocument, variables, pause: receivingOnly });
  const [receiving, reloadReceiving] = useQuery({ query: ReceivingPlacementsDocument, variables, pause: !receivingOnly });
  const { data, error, fetching } = receivingOnly ? receiving : full;
  const reload = receivingOnly ? reloadReceiving : reloadFull;
  const placements: Placement[] = (data?.placements ?? []).filter((p) => !placementId || p.id === placementId);
  const names = useMemo(
    () =>
      new Map(
        (data?.placements ?? []).flatMap((p) => [
          [p.sendingMunicipality.code, p.sendingMunicipality.name] as const,
          [p.receivingMunicipality.code, p.receivingMunicipality.name] as const,
        ]),
      ),
    [data],
  );
  return (
    <>
      <h1>{t('placements.title')}</h1>
      <UnavailableBanner error={error} names={names} />
      <OtherErrors error={error} />
      <div className="filter-field">
        <SelectField
          label={t('placements.status')}
          options={[{ id: 'ANY', label: t('placements.anyStatus') }, ...STATUSES.map((s) => ({ id: s, label: t(`placementStatus.${s}`) }))]}
          selected={status ?? 'ANY'}
          onChange={(id) => setStatus(id === 'ANY' ? null : (id as PlacementStatus))}
        />
      </div>
      {!fetching && placements.length === 0 && <p>{t('placements.none')}</p>}
      <ul className="placements">
        {placements.map((p) => (
          <PlacementCard key={p.id} placement={p} onChanged={() => reload({ requestPolicy: 'network-only' })} />
        ))}
      </ul>
    </>
  );
}

function PlacementCard({ placement: p, onChanged }: { placement: Placement; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const headingId = `placement-${p.id}`;
  return (
    <li className="placement" aria-labelledby={headingId} data-placement-id={p.id}>
      <h2 id={headingId}>
        {'request' in p ? p.request.caseReference : t('placements.placement', { id: p.id.slice(0, 8) })}:{' '}
        {t('placements.route', { from: p.sendingMunicipality.name, to: p.receivingMunicipality.name })}
      </h2>
      <p>
        <strong className="status" data-status={p.status}>
          {t(`placementStatus.${p.status}`)}
        </strong>
        {' · '}
        {t(`kinds.${p.unit.kind}`)}, {p.unit.district} ·{' '}
        {t('placements.dates', { from: formatDate(p.startsOn, i18n.language), to: formatDate(p.endsOn, i18n.language) })}
        {p.pendingStep && <> · {t('placements.pending', { status: t(`placementStatus.${p.pendingStep}`) })}</>}
      </p>
      {p.status === 'OFFERED' && p.holdExpiresAt && (
        // The offer holds its places until then; unanswered, it lapses and the places are free again.
        <p className="hold-expiry">{t('placements.holdExpires', { at: formatDateTime(p.holdExpiresAt, i18n.language) })}</p>
      )}
      <details>
        <summary>{t('placements.history')}</summary>
        <ol>
          {p.history.map((h) => (
            <li key={`${h.at}-${h.toStatus}`}>
              {t('placements.historyLine', { at: formatDateTime(h.at, i18n.language), status: t(`placementStatus.${h.toStatus}`), actor: h.actorSub })}
              {/* A declined or cancelled step's coded reason; the reconciler's own notes are for the log, not this page. */}
              {isReason(h.note) && ` · ${t(`reasons.${h.note}`)}`}
            </li>
          ))}
        </ol>
      </details>
      <PlacementSteps placement={p} onChanged={onChanged} />
    </li>
  );
}

/** Which steps the signed-in user may take on a placement; the API decides again on every step. */
export function allowedSteps(user: SessionUser | null, p: Pick<Placement, 'status' | 'sendingMunicipality' | 'receivingMunicipality'>) {
  const own = (code: string) => user?.municipality === code;
  const coordinator = hasRole(user, 'COORDINATOR');
  const receivingManager = hasRole(user, 'HOUSING_MANAGER') && own(p.receivingMunicipality.code);
  const sendingCaseworker = hasRole(user, 'CASEWORKER') && own(p.sendingMunicipality.code);
  const party = coordinator || own(p.sendingMunicipality.code) || own(p.receivingMunicipality.code);
  return {
    accept: p.status === 'OFFERED' && receivingManager,
    decline: p.status === 'OFFERED' && receivingManager,
    moveIn: p.status === 'ACCEPTED' && sendingCaseworker,
    end: p.status === 'ACTIVE' && party,
    cancel: (p.status === 'OFFERED' || p.status === 'ACCEPTED') && (coordinator || sendingCaseworker),
  };
}

function PlacementSteps({ placement: p, onChanged }: { placement: Placement; onChanged(): void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const steps = allowedSteps(user, p);
  if (!Object.values(steps).some(Boolean)) return null;
  return (
    <div className="steps">
      {steps.accept && <StepButton label={t('placements.accept')} document={AcceptPlacementDocument} id={p.id} step="accept" onDone={onChanged} />}
      {steps.moveIn && <StepButton label={t('placements.moveIn')} document={RecordMoveInDocument} id={p.id} step="moveIn" onDone={onChanged} />}
      {steps.end && <EndStep placement={p} onDone={onChanged} />}
      {steps.decline && <ReasonStep label={t('placements.decline')} document={DeclinePlacementDocument} id={p.id} step="decline" onDone={onChanged} />}
      {steps.cancel && <ReasonStep label={t('placements.cancel')} document={CancelPlacementDocument} id={p.id} step="cancel" onDone={onChanged} />}
    </div>
  );
}

interface StepProps<V extends AnyVariables> {
  label: string;
  document: TypedDocumentNode<unknown, V>;
  id: string;
  step: string;
  onDone(): void;
}

function StepButton({ label, document, id, step, onDone }: StepProps<{ id: string; idempotencyKey: string }>) {
  const { t } = useTranslation();
  const [result, run] = useMutation(document);
  return (
    <>
      <Button
        className="button primary"
        isDisabled={result.fetching}
        onPress={async () => {
          if ((await run({ id, idempotencyKey: keyFor(id, step) })).data) onDone();
        }}
      >
        {result.fetching ? t('placements.working') : label}
      </Button>
      <OtherErrors error={result.error} />
    </>
  );
}

/** Declining or cancelling: the reason is chosen, never preselected, so a hurried press records no reason nobody gave. */
function ReasonStep({ label, document, id, step, onDone }: StepProps<{ id: string; idempotencyKey: string; reason?: PlacementReason | null }>) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<PlacementReason | null>(null);
  const [missing, setMissing] = useState(false);
  const [result, run] = useMutation(document);
  const busy = useRef(false);
  return (
    <div className="reason-step">
      <SelectField
        label={`${t('placements.reason')} (${label.toLowerCase()})`}
        options={REASONS.map((r) => ({ id: r, label: t(`reasons.${r}`) }))}
        selected={reason}
        onChange={(id) => {
          setReason(id as PlacementReason);
          setMissing(false);
        }}
        error={missing ? t('placements.chooseReason') : undefined}
      />
      <Button
        className="button"
        isDisabled={result.fetching}
        onPress={async () => {
          if (!reason) return setMissing(true);
          if (busy.current) return;
          busy.current = true;
          const answer = await run({ id, idempotencyKey: keyFor(id, step), reason });
          busy.current = false;
          if (answer.data) onDone();
        }}
      >
        {result.fetching ? t('placements.working') : label}
      </Button>
      <OtherErrors error={result.error} />
    </div>
  );
}

/**
 * Ending a stay: the day of moving out is typed or picked, never filled in, since ending cannot be
 * undone (a preset day ended stays on one press). The API checks the date; its VALIDATION_FAILED
 * message is shown at the field.
 */
function EndStep({ placement: p, onDone }: { placement: Placement; onDone(): void }) {
  const { t } = useTranslation();
  const [endsOn, setEndsOn] = useState('');
  const [missing, setMissing] = useState(false);
  const [result, run] = useMutation(EndPlacementDocument);
  const fieldProblem = missing ? t('placements.chooseEndsOn') : fieldProblems(result.error).get('endsOn');
  return (
    <div className="reason-step">
      <TextField
        value={endsOn}
        onChange={(value) => {
          setEndsOn(value);
          setMissing(false);
        }}
        className="field"
        isInvalid={!!fieldProblem}
        isRequired
      >
        <Label>{t('placements.endsOn')}</Label>
        <Input type="date" />
        <FieldError>{fieldProblem}</FieldError>
      </TextField>
      <Button
        className="button"
        isDisabled={result.fetching}
        onPress={async () => {
          if (!endsOn) return setMissing(true);
          if ((await run({ id: p.id, idempotencyKey: keyFor(p.id, `end/${endsOn}`), endsOn })).data) onDone();
        }}
      >
        {result.fetching ? t('placements.working') : t('placements.end')}
      </Button>
      {!fieldProblem && <OtherErrors error={result.error} />}
    </div>
  );
}
