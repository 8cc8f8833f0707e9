/** Word lists for synthetic demo people and places. Nothing here describes a real person or address. */
export const FIRST_NAMES = {
  FEMALE: ['Anna', 'Sara', 'Emma', 'Maja', 'Elin', 'Fatima', 'Amina', 'Hanna', 'Julia', 'Linnea', 'Noor', 'Sofia', 'Ida', 'Leila', 'Matilda'],
  MALE: [
    'Erik',
    'Johan',
    'Ali',
    'Mohammed',
    'Oscar',
    'Lucas',
    'Adam',
    'Elias',
    'Hugo',
    'Karl',
    'Yusuf',
    'Anton',
    'Filip',
    'Omar',
    'Viktor',
    'Daniel',
    'Emil',
    'Ahmed',
    'Liam',
    'Isak',
  ],
  OTHER: ['Alex', 'Robin', 'Kim', 'Sam', 'Charlie'],
} as const;

export const LAST_NAMES = [
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
  'Svensson',
  'Gustafsson',
  'Pettersson',
  'Jonsson',
  'Hassan',
  'Ali',
  'Mohammed',
  'Lindberg',
  'Lindqvist',
  'Berg',
  'Holm',
  'Ahmed',
  'Sandberg',
  'Ekström',
];

/** Invented street names ("Demo-" and "Prov-"), so no demo address can be mistaken for a real one. */
export const STREETS = ['Demogatan', 'Provvägen', 'Exempelstigen', 'Testallén', 'Demovägen', 'Provgränd', 'Exempelbacken'];

/** Real kommundelar: coarse enough to share, and they make the demo readable. */
export const DISTRICTS: Record<string, string[]> = {
  '0126': ['Flemingsberg', 'Skogås', 'Trångsund', 'Vårby', 'Stuvsta', 'Segeltorp'],
  '0127': ['Tumba', 'Tullinge', 'Alby', 'Fittja', 'Hallunda', 'Norsborg'],
  '0128': ['Salem centrum', 'Rönninge'],
  '0136': ['Handen', 'Jordbro', 'Vendelsö', 'Brandbergen', 'Västerhaninge'],
  '0138': ['Tyresö centrum', 'Trollbäcken', 'Bollmora'],
  '0140': ['Nykvarn centrum', 'Turinge'],
  '0181': ['Ronna', 'Hovsjö', 'Geneta', 'Järna', 'Pershagen'],
  '0192': ['Ösmo', 'Sorunda', 'Nynäshamn centrum'],
};

export const REGION_CODES = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'];
/** Threat areas outside the region that participants are often kept away from (Stockholm, Uppsala, Göteborg). */
export const OTHER_THREAT_AREAS = ['0180', '0380', '1480'];

export const MENTORS = ['Mentor Kim (demo)', 'Mentor Robin (demo)', 'Mentor Alex (demo)', 'Mentor Sam (demo)'];
export const PROGRAMMES = ['Arbetsträning (demo)', 'KBT-grupp (demo)', 'Studiestöd (demo)', 'Missbruksbehandling (demo)', 'Föräldrastöd (demo)'];
