import { useRef, useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { draftFields, FormFooter } from '../components/FormFields';
import { fieldProblems } from '../field-problems';
import { todayInStockholm } from '../format';
import { RegisterParticipantDocument, type Gender, type ReferralSource, type RiskLevel } from '../gql/graphql';
import { GENDERS, REFERRAL_SOURCES, RISK_LEVELS } from '../participants/choices';
import { birthDateOf, municipalityCodesOf, personnummerProblem } from '../participants/personnummer';
import { useSession } from '../session';

interface Draft {
  firstName: string;
  lastName: string;
  personalIdentityNumber: string;
  protectedIdentity: boolean;
  birthDate: string;
  gender: Gender | null;
  householdAdults: number;
  householdChildren: number;
  referralSource: ReferralSource | null;
  riskLevel: RiskLevel | null;
  excludedMunicipalities: string;
  intakeDate: string;
  responsibleCaseworker: string;
}

/**
 * Registers a participant at intake. The page checks early what it can (a personnummer's form,
 * date and check digit; that nothing required is empty) and shows each problem at its field
 * without sending; the API checks everything again, and its VALIDATION_FAILED messages (e.g. a
 * birth date that does not match the personnummer) are shown at their fields the same way.
 */
export function RegisterParticipant() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useSession().user!;
  const [draft, setDraft] = useState<Draft>(() => ({
    firstName: '',
    lastName: '',
    personalIdentityNumber: '',
    protectedIdentity: false,
    birthDate: '',
    gender: null,
    householdAdults: 1,
    householdChildren: 0,
    referralSource: null,
    riskLevel: null,
    excludedMunicipalities: '',
    intakeDate: todayInStockholm(),
    responsibleCaseworker: user.sub,
  }));
  const [early, setEarly] = useState<Map<string, string>>(new Map());
  const [result, register] = useMutation(RegisterParticipantDocument);
  const problems = early.size > 0 ? early : fieldProblems(result.error);
  const busy = useRef(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const field = draftFields(draft, set, problems);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = earlyProblems(draft, t);
    setEarly(found);
    if (found.size > 0 || busy.current) return;
    busy.current = true;
    try {
      const answer = await register({
        input: {
          ...draft,
          gender: draft.gender!,
          referralSource: draft.referralSource!,
          riskLevel: draft.riskLevel!,
          excludedMunicipalities: municipalityCodesOf(draft.excludedMunicipalities),
        },
      });
      if (answer.data) navigate(`/participants/${answer.data.registerParticipant.id}`, { state: { saved: 'registered' } });
    } finally {
      busy.current = false;
    }
  };

  // The birth date follows the personnummer while it has not been typed differently.
  const setNumber = (value: string) =>
    setDraft((d) => {
      const before = birthDateOf(d.personalIdentityNumber);
      const after = birthDateOf(value);
      return { ...d, personalIdentityNumber: value, birthDate: after && (d.birthDate === '' || d.birthDate === before) ? after : d.birthDate };
    });

  return (
    <>
      <h1>{t('participants.registerTitle')}</h1>
      <p>
        <Link to="/participants">{t('participants.backToList')}</Link>
      </p>
      <Form onSubmit={submit} validationBehavior="aria" className="participant-form" aria-label={t('participants.registerTitle')}>
        {field.text('firstName', t('participants.firstName'), { isRequired: true })}
        {field.text('lastName', t('participants.lastName'), { isRequired: true })}
        {field.text('personalIdentityNumber', t('participants.personalIdentityNumber'), {
          description: t('participants.personnummerFormat'),
          onChange: setNumber,
          isRequired: true,
        })}
        {field.text('birthDate', t('participants.birthDate'), { type: 'date', isRequired: true })}
        {field.choice('gender', t('participants.gender'), GENDERS, (g) => t(`gender.${g}`))}
        {field.check('protectedIdentity', t('participants.protectedIdentity'))}
        {field.whole('householdAdults', t('participants.adults'))}
        {field.whole('householdChildren', t('participants.children'))}
        {field.choice('referralSource', t('participants.referralSource'), REFERRAL_SOURCES, (r) => t(`referral.${r}`))}
        {field.choice('riskLevel', t('participants.risk'), RISK_LEVELS, (r) => t(`risk.${r}`))}
        {field.text('excludedMunicipalities', t('participants.excluded'), { description: t('participants.excludedFormat') })}
        {field.text('intakeDate', t('participants.intakeDate'), { type: 'date', isRequired: true })}
        {field.text('responsibleCaseworker', t('participants.caseworker'), { isRequired: true })}
        <FormFooter submitLabel={t('participants.registerButton')} working={result.fetching} problems={problems} error={result.error} />
      </Form>
    </>
  );
}

/** What the page can tell before sending: empty required fields, unset choices and the personnummer's own rules. */
function earlyProblems(draft: Draft, t: (key: string) => string): Map<string, string> {
  const problems = new Map<string, string>();
  for (const key of ['firstName', 'lastName', 'responsibleCaseworker'] as const) if (!draft[key].trim()) problems.set(key, t('participants.required'));
  const pnr = personnummerProblem(draft.personalIdentityNumber);
  if (pnr) problems.set('personalIdentityNumber', t(`participants.personnummer.${pnr}`));
  for (const key of ['birthDate', 'intakeDate'] as const) if (!/^\d{4}-\d{2}-\d{2}$/.test(draft[key])) problems.set(key, t('participants.dateRequired'));
  for (const key of ['gender', 'referralSource', 'riskLevel'] as const) if (!draft[key]) problems.set(key, t('participants.choose'));
  for (const key of ['householdAdults', 'householdChildren'] as const) if (!Number.isInteger(draft[key])) problems.set(key, t('participants.wholeNumber'));
  return problems;
}
