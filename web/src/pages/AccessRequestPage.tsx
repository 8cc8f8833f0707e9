import { useState, type FormEvent } from 'react';
import { Button, FieldError, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { downloadAccessRequest, UUID_PATTERN } from '../access-request';
import { inWords } from '../components/UnavailableBanner';
import { useSession } from '../session';

/**
 * The data protection officer's page: a participant's register extract by their id (a UUID,
 * checked at the field before anything is sent). The extract is downloaded as a printable page;
 * the id stays in the page, never in the address. The API's refusal that concerns the id (not a
 * participant of the municipality) is shown at the field, any other above it.
 */
export function AccessRequestPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const [participantId, setParticipantId] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [otherError, setOtherError] = useState<string | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDownloaded(false);
    setOtherError(null);
    const id = participantId.trim();
    if (!UUID_PATTERN.test(id)) {
      setFieldError(t('accessRequest.notUuid'));
      return;
    }
    setFieldError(null);
    if (busy) return;
    setBusy(true);
    try {
      const refusal = await downloadAccessRequest(id, i18n.language, t('accessRequest.fileName'));
      if (!refusal) setDownloaded(true);
      else if (refusal.status === 401) session.expired();
      else if (refusal.field === 'participantId' || refusal.code === 'NOT_FOUND') setFieldError(t('accessRequest.notFound'));
      else setOtherError(t('errors.generic', { message: inWords(t, refusal.extensions, refusal.message) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('accessRequest.title')}</h1>
      <p>{t('accessRequest.intro')}</p>
      <Form onSubmit={(e) => void submit(e)} validationBehavior="aria" aria-label={t('accessRequest.title')}>
        <TextField
          value={participantId}
          onChange={(v) => {
            setParticipantId(v);
            setFieldError(null);
          }}
          className="field"
          isInvalid={!!fieldError}
          isRequired
          data-field="participantId"
        >
          <Label>{t('accessRequest.participantId')}</Label>
          <Input autoComplete="off" spellCheck={false} />
          <Text slot="description" className="field-description">
            {t('accessRequest.participantIdHelp')}
          </Text>
          <FieldError className="field-error">{fieldError}</FieldError>
        </TextField>
        <Button type="submit" className="button primary" isDisabled={busy}>
          {t('accessRequest.button')}
        </Button>
      </Form>
      <div aria-live="polite">
        {downloaded && <p className="banner banner-success">{t('accessRequest.downloaded')}</p>}
        {otherError && (
          <p className="banner banner-error" role="alert">
            {otherError}
          </p>
        )}
      </div>
    </>
  );
}
