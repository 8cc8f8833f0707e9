import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { downloadAccessRequest, type AccessRequestRefusal } from '../access-request';
import { useSession } from '../session';
import { inWords } from './UnavailableBanner';

/** "Registerutdrag": downloads the participant's register extract (the reads it makes are audited by the municipality). */
export function AccessRequestButton({ participantId }: { participantId: string }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ refusal: AccessRequestRefusal | null } | null>(null);
  const fetchIt = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const refusal = await downloadAccessRequest(participantId, i18n.language, t('accessRequest.fileName'));
      if (refusal?.status === 401) return session.expired();
      setOutcome({ refusal });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="access-request">
      <Button className="button" onPress={() => void fetchIt()} isDisabled={busy}>
        {t('accessRequest.button')}
      </Button>
      <div aria-live="polite">
        {outcome && !outcome.refusal && <p className="banner banner-success">{t('accessRequest.downloaded')}</p>}
        {outcome?.refusal && (
          <p className="banner banner-error" role="alert">
            {t('errors.generic', { message: inWords(t, outcome.refusal.extensions, outcome.refusal.message) })}
          </p>
        )}
      </div>
    </div>
  );
}
