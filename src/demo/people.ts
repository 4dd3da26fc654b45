/**
 * The demo's people. Every name, date of birth, address and number is invented: NHS numbers come
 * from the 999 range used for testing and pass the modulus 11 check; postcodes are in NE99, streets
 * made up, telephone numbers from Ofcom's ranges for drama.
 */

/** The `n`th valid test NHS number (999 …), with its modulus 11 check digit. */
export function demoNhsNumber(n: number): string {
  for (let candidate = n * 7919; ; candidate++) {
    const nine = `999${String(candidate % 1_000_000).padStart(6, '0')}`;
    const total = [...nine].reduce((sum, digit, i) => sum + Number(digit) * (10 - i), 0);
    const check = 11 - (total % 11);
    if (check !== 10) return `${nine}${check === 11 ? 0 : check}`;
  }
}

type Gender = 'female' | 'male';

export type DemoPerson = {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  gender: Gender;
  nhsNumber: string;
  addressLine1: string;
  town: string;
  postcode: string;
  phone?: string;
  interpreterLanguage?: string;
  communicationNeeds?: string;
};

let next = 1;
function person(givenName: string, familyName: string, dateOfBirth: string, gender: Gender, addressLine1: string, postcode: string, extra: Partial<DemoPerson> = {}): DemoPerson {
  return { givenName, familyName, dateOfBirth, gender, nhsNumber: demoNhsNumber(next++), addressLine1, town: 'Northshire', postcode, ...extra };
}

/** The handbook's service users A to D (Care Coordinator's Handbook, examples 1 to 4), with invented names. */
export const HANDBOOK = {
  a: person('Aaron', 'Whitlock', '1979-04-17', 'male', '14 Quarry Bank Road', 'NE99 1AW', { phone: '07700 900 101' }),
  b: person('Beverley', 'Ashdown', '1962-10-03', 'female', '3 Tannery Court', 'NE99 1BA', { phone: '07700 900 102' }),
  c: person('Chloe', 'Penrose', '1991-01-22', 'female', 'Flat 6, Gannet House, Ropewalk', 'NE99 1CP', { phone: '07700 900 103' }),
  d: person('Derek', 'Fairbairn', '1946-07-09', 'male', 'Elmfield Nursing Home, 2 Orchard Lane', 'NE99 1DF', { communicationNeeds: 'Hard of hearing: speak clearly, face to face' }),
};

export const CMHT_PEOPLE = {
  leon: person('Leon', 'Garside', '1988-02-11', 'male', '27 Cinder Path', 'NE99 2LG'),
  mariam: person('Mariam', 'Qureshi', '1996-05-30', 'female', '8 Mill Race Close', 'NE99 2MQ', { interpreterLanguage: 'Urdu' }),
  gareth: person('Gareth', 'Pryce', '1971-12-02', 'male', '41 Foundry Street', 'NE99 2GP'),
  niamh: person('Niamh', 'Gallagher', '1999-08-14', 'female', '12 Lantern Walk', 'NE99 2NG'),
  tariq: person('Tariq', 'Hussain', '1985-03-27', 'male', '5 Wherry Lane', 'NE99 2TH'),
  olivia: person('Olivia', 'Brennan', '1993-11-08', 'female', '19 Staithes Road', 'NE99 2OB'),
  frank: person('Frank', 'Lindqvist', '1958-06-19', 'male', '66 Beacon Rise', 'NE99 2FL'),
  yasmin: person('Yasmin', 'Farah', '1990-09-05', 'female', '2 Salt Meadows', 'NE99 2YF', { interpreterLanguage: 'Somali' }),
  kenneth: person('Kenneth', 'Mabey', '1967-01-29', 'male', '88 Keelman Way', 'NE99 2KM'),
  rhys: person('Rhys', 'Tandy', '1982-04-04', 'male', '10 Copper Yard', 'NE99 2RT'),
  irene: person('Irene', 'Castellano', '1953-10-12', 'female', '31 Gull Terrace', 'NE99 2IC'),
};

export const DUTY_PEOPLE = {
  winifred: person('Winifred', 'Hale', '1938-03-15', 'female', '4 Chapel Garth', 'NE99 3WH'),
  stanley: person('Stanley', 'Briggs', '1941-09-23', 'male', '17 Ferry Approach', 'NE99 3SB'),
  agnes: person('Agnes', 'Kowalczyk', '1949-12-01', 'female', '9 Linnet Row', 'NE99 3AK', { interpreterLanguage: 'Polish' }),
  harold: person('Harold', 'Pennock', '1944-05-06', 'male', '23 Pitman Street', 'NE99 3HP'),
  doreen: person('Doreen', 'Ashworth', '1950-02-17', 'female', '55 Wagonway', 'NE99 3DA'),
  eric: person('Eric', 'Thornbury', '1939-07-31', 'male', '1 Smithy Lonnen', 'NE99 3ET'),
  patricia: person('Patricia', 'Vaughan', '1975-08-26', 'female', '72 Tidewater Road', 'NE99 3PV'),
};
