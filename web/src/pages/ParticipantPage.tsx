import { useMemo, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { useQuery } from 'urql';
import { AccessRequestButton } from '../components/AccessRequestButton';
import { ParticipantIdentitySection, type Identity } from '../components/ParticipantIdentity';
import { PlacementRequestForm } from '../components/PlacementRequestForm';
import { RequestFollowUp } from '../components/RequestFollowUp';
import { OtherErrors } from '../components/UnavailableBanner';
import { UpdateParticipantForm } from '../components/UpdateParticipantForm';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { ParticipantCaseDocument, RegionMembersDocument, type PlacementRequestStatus } from '../gql/graphql';

/** A request in these is in progress; the API allows one at a time per participant. */
const IN_PROGRESS: PlacementRequestStatus[] = ['OPEN', 'MATCHED', 'OFFERED', 'ACCEPTED', 'ACTIVE'];

/**
 * A participant's case (by id: the address names nobody): who they are (a protected identity
 * masked until revealed with a purpose), household, risk and excluded municipalities, phase and
 * dates, their placement requests with the placements they are offered in, and the forms to
 * change the participant and to open a new request.
 */
export function ParticipantPage() {
  const { participantId } = useParams() as { participantId: string };
  // One page per participant: going from one to another (e.g. back in the history) starts afresh,
  // so a revealed identity never stays on the screen for someone else.
  return <ParticipantCase key={participantId} participantId={participantId} />;
}

function ParticipantCase({ participantId }: { participantId: string }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const variables = useMemo(() => ({ id: participantId }), [participantId]);
  const [{ data, error }, reload] = useQuery({ query: ParticipantCaseDocument, variables });
  const [{ data: members }] = useQuery({ query: RegionMembersDocument });
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(
    (location.state as { saved?: string } | null)?.saved === 'registered' ? t('participants.registered') : null,
  );
  const names = new Map((members?.region.municipalities ?? []).map((m) => [m.code, m.name]));
  const participant = data?.participant;
  const refresh = (message: string | null) => {
    setSaved(message);
    reload({ requestPolicy: 'network-only' });
  };

  if (!participant) {
    return (
      <>
        <h1>{t('participants.caseTitle')}</h1>
        <OtherErrors error={error} />
      </>
    );
  }
  const municipality = (code: string) => (names.has(code) ? `${names.get(code)} (${code})` : code);

  return (
    <>
      <h1>{t('participants.caseTitle')}</h1>
      <p>
        <Link to="/participants">{t('participants.backToList')}</Link>
      </p>
      {saved && (
        <p role="status" className="banner banner-success">
          {saved}
        </p>
      )}
      <OtherErrors error={error} />
      <ParticipantIdentitySection
        key={`${participant.id}@${participant.updatedAt}`}
        participantId={participant.id}
        protectedIdentity={participant.protectedIdentity}
        identity={identity}
        onIdentity={setIdentity}
      />
      <section aria-labelledby="case-title" className="case-section">
        <h2 id="case-title">{t('participants.case')}</h2>
        <dl className="facts">
          <dt>{t('participants.gender')}</dt>
          <dd>{t(`gender.${participant.gender}`)}</dd>
          <dt>{t('participants.household')}</dt>
          <dd data-fact="household">
            {t('participants.householdValue', {
              adults: formatNumber(participant.householdAdults),
              children: formatNumber(participant.householdChildren),
            })}
          </dd>
          <dt>{t('participants.risk')}</dt>
          <dd data-fact="risk">{t(`risk.${participant.riskLevel}`)}</dd>
          <dt>{t('participants.excluded')}</dt>
          <dd data-fact="excluded">{participant.excludedMunicipalities.length ? participant.excludedMunicipalities.map(municipality).join(', ') : '–'}</dd>
          <dt>{t('participants.phase')}</dt>
          <dd data-fact="phase">{t(`phase.${participant.phase}`)}</dd>
          <dt>{t('participants.intakeDate')}</dt>
          <dd>{formatDate(participant.intakeDate, i18n.language)}</dd>
          {participant.exitDate && (
            <>
              <dt>{t('participants.exitDate')}</dt>
              <dd>
                {formatDate(participant.exitDate, i18n.language)}
                {participant.exitOutcome && <> ({t(`exitOutcome.${participant.exitOutcome}`)})</>}
              </dd>
            </>
          )}
          <dt>{t('participants.referralSource')}</dt>
          <dd>{t(`referral.${participant.referralSource}`)}</dd>
          <dt>{t('participants.caseworker')}</dt>
          <dd>{participant.responsibleCaseworker}</dd>
          <dt>{t('participants.registeredAt')}</dt>
          <dd>{formatDateTime(participant.createdAt, i18n.language)}</dd>
          <dt>{t('participants.updatedAt')}</dt>
          <dd>{formatDateTime(participant.updatedAt, i18n.language)}</dd>
        </dl>
        {editing ? (
          <UpdateParticipantForm
            participant={participant}
            identity={identity}
            onCancel={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              // Names may have changed: shown again as the API now holds them (a protected one only on a new reveal).
              setIdentity(null);
              refresh(t('units.updated'));
            }}
          />
        ) : (
          <Button className="button" onPress={() => setEditing(true)}>
            {t('participants.edit')}
          </Button>
        )}
        <AccessRequestButton participantId={participant.id} />
      </section>
      <section aria-labelledby="phases-title" className="case-section">
        <h2 id="phases-title">{t('participants.phaseHistory')}</h2>
        <table className="phase-history">
          <caption className="visually-hidden">{t('participants.phaseHistory')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('participants.phase')}</th>
              <th scope="col">{t('participants.phaseSince')}</th>
            </tr>
          </thead>
          <tbody>
            {participant.phaseHistory.map((change, i) => (
              <tr key={i} data-phase={change.phase}>
                <td>{t(`phase.${change.phase}`)}</td>
                <td>{formatDateTime(String(change.changedAt), i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="requests-title" className="case-section">
        <h2 id="requests-title">{t('caseRequests.title')}</h2>
        <Button className="button small" onPress={() => refresh(null)}>
          {t('caseRequests.refresh')}
        </Button>
        {participant.placementRequests.length === 0 && <p>{t('caseRequests.none')}</p>}
        <ul className="units-list">
          {participant.placementRequests.map((request) => (
            <RequestFollowUp key={request.id} request={request} onChanged={() => refresh(t('caseRequests.withdrawn', { reference: request.caseReference }))} />
          ))}
        </ul>
        <h3>{t('caseRequests.newTitle')}</h3>
        {/* The API's rule: one request in progress at a time. */}
        {participant.placementRequests.some((r) => IN_PROGRESS.includes(r.status)) ? (
          <p>{t('caseRequests.inProgress')}</p>
        ) : (
          <PlacementRequestForm participantId={participant.id} onCreated={(reference) => refresh(t('caseRequests.createdMessage', { reference }))} />
        )}
      </section>
    </>
  );
}
