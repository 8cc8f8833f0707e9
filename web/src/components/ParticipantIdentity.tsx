import { useEffect, useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useClient, type CombinedError } from 'urql';
import { formatDate } from '../format';
import { ParticipantIdentityDocument, type ParticipantIdentityQuery } from '../gql/graphql';
import { TextInput } from './FormFields';
import { OtherErrors } from './UnavailableBanner';

export type Identity = ParticipantIdentityQuery['participant'];

/** The API's limit for a stated purpose (the audit log keeps at most 200 characters). */
const PURPOSE_MAX = 200;

/**
 * Who the participant is. Someone without skyddade personuppgifter: fetched with the page. A
 * protected identity: masked, and fetched only when the caseworker reveals it, stating why; that
 * purpose goes with the request as `x-purpose` (percent-encoded; the web server passes it on) and
 * the municipality's audit log records it beside the read. "Dölj" forgets it again.
 */
export function ParticipantIdentitySection({
  participantId,
  protectedIdentity,
  identity,
  onIdentity,
}: {
  participantId: string;
  protectedIdentity: boolean;
  identity: Identity | null;
  onIdentity(identity: Identity | null): void;
}) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [purpose, setPurpose] = useState('');
  const [purposeProblem, setPurposeProblem] = useState<string | undefined>();
  const [error, setError] = useState<CombinedError | undefined>();
  const [loading, setLoading] = useState(false);

  const load = async (statedPurpose: string | null) => {
    setLoading(true);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (statedPurpose) headers['x-purpose'] = encodeURIComponent(statedPurpose);
    const answer = await client
      .query(ParticipantIdentityDocument, { id: participantId }, { requestPolicy: 'network-only', fetchOptions: { credentials: 'same-origin', headers } })
      .toPromise();
    setLoading(false);
    setError(answer.error);
    if (answer.data) onIdentity(answer.data.participant);
  };

  useEffect(() => {
    if (!protectedIdentity && !identity) void load(null);
    // Only when the participant (or their protection) changes: a revealed identity is not fetched again.
  }, [participantId, protectedIdentity]);

  const reveal = (event: FormEvent) => {
    event.preventDefault();
    const stated = purpose.trim();
    const problem = !stated
      ? t('participants.purposeRequired')
      : stated.length > PURPOSE_MAX
        ? t('participants.purposeTooLong', { max: PURPOSE_MAX })
        : undefined;
    setPurposeProblem(problem);
    if (!problem) void load(stated);
  };

  return (
    <section aria-labelledby="identity-title" className="case-section">
      <h2 id="identity-title">{t('participants.identity')}</h2>
      {protectedIdentity && (
        <p className="banner banner-info protected-notice">
          <strong>{t('participants.protected')}.</strong> {t('participants.protectedExplained')}
        </p>
      )}
      {identity ? (
        <>
          <dl className="facts">
            <dt>{t('participants.name')}</dt>
            <dd data-fact="name">
              {identity.firstName} {identity.lastName}
            </dd>
            <dt>{t('participants.personalIdentityNumber')}</dt>
            <dd data-fact="personalIdentityNumber">{identity.personalIdentityNumber}</dd>
            <dt>{t('participants.birthDate')}</dt>
            <dd>{formatDate(identity.birthDate, i18n.language)}</dd>
          </dl>
          {protectedIdentity && (
            <Button
              className="button"
              onPress={() => {
                onIdentity(null);
                setPurpose('');
              }}
            >
              {t('participants.hide')}
            </Button>
          )}
        </>
      ) : protectedIdentity ? (
        <Form onSubmit={reveal} validationBehavior="aria" className="reveal-form" aria-label={t('participants.revealTitle')}>
          <dl className="facts">
            <dt>{t('participants.name')}</dt>
            <dd className="masked">{t('participants.hidden')}</dd>
            <dt>{t('participants.personalIdentityNumber')}</dt>
            <dd className="masked">{t('participants.hidden')}</dd>
          </dl>
          <TextInput
            name="purpose"
            label={t('participants.purpose')}
            description={t('participants.purposeHelp')}
            value={purpose}
            onChange={setPurpose}
            error={purposeProblem}
            isRequired
          />
          <Button type="submit" className="button primary" isDisabled={loading}>
            {t('participants.reveal')}
          </Button>
        </Form>
      ) : (
        <p>{loading ? t('audit.loading') : ''}</p>
      )}
      <OtherErrors error={error} />
    </section>
  );
}
