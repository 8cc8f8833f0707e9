import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { CancelPlacementRequestDocument, PlacementUnitAddressDocument, RequestPlacementDocument, type ParticipantCaseQuery } from '../gql/graphql';
import { keyFor } from '../step-keys';
import { OtherErrors } from './UnavailableBanner';

type Request = ParticipantCaseQuery['participant']['placementRequests'][number];

/** Statuses in which the caseworker withdraws a request here; once a placement uses it, it is cancelled on the placements board. */
const WITHDRAWABLE = ['DRAFT', 'OPEN', 'MATCHED'];

/** One placement request of the participant: its status and needs, and the placement it is offered in, if any. */
export function RequestFollowUp({ request, onChanged }: { request: Request; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const headingId = `request-${request.id}`;
  return (
    <li className="unit-card" aria-labelledby={headingId} data-request-id={request.id}>
      <h3 id={headingId}>{t('caseRequests.request', { reference: request.caseReference })}</h3>
      <p>
        <strong className="status" data-status={request.status}>
          {t(`requestStatus.${request.status}`)}
        </strong>
        {' · '}
        {t('caseRequests.urgencyValue', { urgency: t(`urgency.${request.urgency}`) })}
        {' · '}
        {t('caseRequests.from', { date: formatDate(request.earliestStart, i18n.language) })}
        {' · '}
        {t('caseRequests.days', { count: request.expectedDurationDays, formatted: formatNumber(request.expectedDurationDays) })}
      </p>
      <p>
        {request.allowedKinds.map((k) => t(`kinds.${k}`)).join(', ')}
        {request.needsWheelchairAccess && <> · {t('caseRequests.wheelchair')}</>}
        {request.supportNeeds.length > 0 && <> · {request.supportNeeds.map((n) => t(`supportNeed.${n}`)).join(', ')}</>}
      </p>
      <p>
        {t('caseRequests.created', { when: formatDateTime(request.createdAt, i18n.language) })}
        {['OPEN', 'MATCHED'].includes(request.status) && (
          <> · {t('caseRequests.waiting', { count: request.waitingDays, formatted: formatNumber(request.waitingDays) })}</>
        )}
      </p>
      {request.placementId && <PlacementOfRequest placementId={request.placementId} />}
      {WITHDRAWABLE.includes(request.status) && !request.placementId && <WithdrawRequest request={request} onWithdrawn={onChanged} />}
    </li>
  );
}

/** Withdrawing a request (a mistaken one, or one no longer needed): asked once more, since it cannot be undone. */
function WithdrawRequest({ request, onWithdrawn }: { request: Request; onWithdrawn(): void }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [result, withdraw] = useMutation(CancelPlacementRequestDocument);
  if (!confirming)
    return (
      <p>
        <Button className="button small" onPress={() => setConfirming(true)}>
          {t('caseRequests.withdraw')}
        </Button>
      </p>
    );
  return (
    <div className="confirm" role="group" aria-label={t('caseRequests.withdraw')}>
      <p>{t('caseRequests.withdrawConfirm', { reference: request.caseReference })}</p>
      <Button
        className="button small"
        isDisabled={result.fetching}
        onPress={async () => {
          if ((await withdraw({ id: request.id, idempotencyKey: keyFor(request.id, 'withdraw') })).data) onWithdrawn();
        }}
      >
        {result.fetching ? t('placements.working') : t('caseRequests.withdrawYes')}
      </Button>{' '}
      <Button className="button small" onPress={() => setConfirming(false)}>
        {t('caseRequests.withdrawNo')}
      </Button>
      <OtherErrors error={result.error} />
    </div>
  );
}

/**
 * The regional placement: where (the receiving municipality, the unit's kind and district), when,
 * and its history. The unit's street address is asked for only on "Visa adress" (each read is
 * audited) and shown only as the API answers: to the caseworkers of a municipality with a
 * confirmed booking in the unit; otherwise the API refuses and the page says so.
 */
function PlacementOfRequest({ placementId }: { placementId: string }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [{ data, error }] = useQuery({ query: RequestPlacementDocument, variables: { id: placementId } });
  const [address, setAddress] = useState<{ value: string | null; error?: CombinedError } | null>(null);
  const placement = data?.placement;

  const showAddress = async () => {
    const answer = await client.query(PlacementUnitAddressDocument, { id: placementId }, { requestPolicy: 'network-only' }).toPromise();
    const forbidden = answer.error?.graphQLErrors.some((e) => e.extensions?.code === 'FORBIDDEN');
    setAddress({ value: answer.data?.placement.unit.streetAddress ?? null, error: forbidden ? undefined : answer.error });
  };

  if (!placement) return <OtherErrors error={error} />;
  return (
    <div className="request-placement" data-placement-id={placement.id}>
      <h4>{t('caseRequests.placement')}</h4>
      <p>
        <strong className="status" data-status={placement.status}>
          {t(`placementStatus.${placement.status}`)}
        </strong>
        {' · '}
        {t(`kinds.${placement.unit.kind}`)}, {placement.unit.district} ({placement.receivingMunicipality.name}){' · '}
        {t('placements.dates', { from: formatDate(placement.startsOn, i18n.language), to: formatDate(placement.endsOn, i18n.language) })}
        {placement.pendingStep && <> · {t('placements.pending', { status: t(`placementStatus.${placement.pendingStep}`) })}</>}
      </p>
      <p>
        {address === null ? (
          <Button className="button small" onPress={() => void showAddress()}>
            {t('caseRequests.showAddress')}
          </Button>
        ) : address.value ? (
          <span data-fact="streetAddress">{t('caseRequests.address', { address: address.value })}</span>
        ) : (
          <span data-fact="streetAddress">{t('caseRequests.addressWithheld')}</span>
        )}{' '}
        <Link to={`/placements/${placement.id}`}>{t('caseRequests.toPlacement')}</Link>
      </p>
      {address?.error && <OtherErrors error={address.error} />}
      <ol className="history">
        {placement.history.map((h, i) => (
          <li key={i}>
            {formatDateTime(h.at, i18n.language)}: {t(`placementStatus.${h.toStatus}`)}
          </li>
        ))}
      </ol>
    </div>
  );
}
