/** Swedish: the register extract (the participant's page, the data protection officer's page). English in access-request.en.ts. */
export const accessRequestSv = {
  accessRequest: {
    title: 'Registerutdrag',
    intro:
      'Ett registerutdrag visar vad verksamheten har om en deltagare och vilka som har läst det (dataskyddsförordningen artikel 15). Det hämtas som en utskrivbar sida, och hämtningen registreras i granskningsloggen.',
    button: 'Registerutdrag',
    participantId: 'Deltagarens id',
    participantIdHelp: 'Id:t står på deltagarens sida, t.ex. 6b731f1e-18a4-492f-807a-4b27befa3a00.',
    notUuid: 'Ange deltagarens id: 32 hexadecimala tecken i grupper med bindestreck (ett UUID).',
    notFound: 'Det finns ingen deltagare med det id:t i din kommun.',
    downloaded: 'Registerutdraget har hämtats (filen registerutdrag.html). Öppna den för att läsa eller skriva ut.',
    fileName: 'registerutdrag.html',
  },
};
