import type { accessRequestSv } from './access-request.sv';

/** English: the register extract, every key of the Swedish. */
export const accessRequestEn: typeof accessRequestSv = {
  accessRequest: {
    title: 'Register extract',
    intro:
      'A register extract shows what the programme holds about a participant and who has read it (GDPR article 15). It is downloaded as a printable page, and producing it is recorded in the audit log.',
    button: 'Register extract',
    participantId: 'Participant’s id',
    participantIdHelp: 'The id is on the participant’s page, e.g. 6b731f1e-18a4-492f-807a-4b27befa3a00.',
    notUuid: 'Enter the participant’s id: 32 hexadecimal characters in groups with hyphens (a UUID).',
    notFound: 'There is no participant with that id in your municipality.',
    downloaded: 'The register extract has been downloaded (the file register-extract.html). Open it to read or print it.',
    fileName: 'register-extract.html',
  },
};
