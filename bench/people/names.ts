/**
 * Word lists for the synthetic population. Common British family names are listed roughly in the
 * order of how many people bear them (Smith first); the generator follows them with a long tail of
 * rarer place-name surnames and gives every name a Zipf-like weight by rank, so that, as in a real
 * population, "Smith" is shared by about 1 person in 80 and most surnames by a handful.
 */

export const COMMON_FAMILY_NAMES = `
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker White
Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark
Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell
Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis
Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen
Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham
Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day
Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant
Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn
Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird
Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long
Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman
Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace
George Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis Higgins Read Miles Stevenson Stephenson Hammond
Arnold Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan Whitehead Mann Frost Lambert Stephens Blake Akhtar
Lynch Goodwin Barton Woodward Thomson Cunningham Quinn Barnett Baxter Bibi Clayton Nash Greenwood Jennings Holt Kemp
Poole Gallagher Bond Stokes Tucker Davidson Fowler Heath Norman Middleton Lawson Banks French Stanley Jarvis Gibbs
Ferguson Hayward Carroll Douglas Dickinson Todd Barlow Peters Lucas Knowles Hartley Miah Simmons Morton Alexander
Field Morrison Norris Townsend Preston Hancock Thornton Baldwin Burrows Briggs Storey Pickering Kaye Kirby Lamb
Sanderson Howe Fleming Duffy Mistry Nowak Kowalski Wiśniewska Okafor Mensah Adeyemi Chowdhury Rahman Smith-Jones
`
  .trim()
  .split(/\s+/);

// Place-name surnames ("Ashford", "Blackenwood", "Thornley"): the long tail of rarer names. A real
// population of a million holds tens of thousands of different surnames, most shared by a handful
// of people; fuzzy matching has to look through all of them, so the tail is as long as that.
const TAIL_STARTS = `Ash Black Brad Brook Cald Cliff Crow Dal East Elm Fair Fern Gold Hat Hay High Holl Kings Lang Lock
Mar Mid Mill Moor Nor Oak Pen Red Ris Rother Salt Shel South Stan Stock Sun Thorn Under Wal Wes Whit Wind Win Work Yar
Ark Bar Bel Bran Cam Car Chad Cran Dun Ed Egg Ever Fal Gar Glad Gran Hal Ham Har Her Hor Ing Kel Kir Lam Lind Lof Mal Mer
Og Pad Pick Rad Rams Rod Rush Sand Sher Stain Swin Tad Tem Thurs Up War Wel Brom Chil Dart`.split(/\s+/);
const TAIL_LINKS = ['', 'en', 'er', 'ing', 'le', 's', 'ton', 'bur', 'ham', 'ley'];
const TAIL_ENDS = `ford ton ley worth wood field well by ham brook hill burn combe den dale stone bury more wick croft gate
land thorpe ridge mere hurst ingham over cliffe ington lock stead bourne fold low`.split(/\s+/);

/** Family names most common first: the common names, then every place-name surname not already among them. */
export function familyNamesByRank(): string[] {
  const seen = new Set(COMMON_FAMILY_NAMES.map((n) => n.toLowerCase()));
  const tail: string[] = [];
  // Shorter names first, and the endings interleaved, so the tail is not alphabetical (rank decides how common a name is).
  for (const link of TAIL_LINKS) {
    for (const end of TAIL_ENDS) {
      for (const start of TAIL_STARTS) {
        const name = start + link + end;
        if (seen.has(name.toLowerCase())) continue;
        tail.push(name);
        seen.add(name.toLowerCase());
      }
    }
  }
  return [...COMMON_FAMILY_NAMES, ...tail];
}

/** Given names of people born 1930 to 2010, both generations mixed, most common first. */
export const MALE_GIVEN_NAMES = `
John David Michael Paul Andrew Peter James Robert Mark Richard Stephen Christopher William Thomas Daniel Matthew
Anthony Ian Gary Kevin Steven Alan Brian Keith Graham Martin Simon Philip Colin Jason Lee Darren Neil Jonathan Adam
Benjamin Samuel Joshua Jack Harry Oliver George Charlie Jacob Alfie Joseph Ryan Luke Liam Connor Callum Jake Kyle
Nathan Aaron Dylan Lewis Mohammed Muhammad Kenneth Ronald Raymond Dennis Derek Roy Frank Frederick Arthur Albert
Ernest Harold Leonard Stanley Norman Gordon Donald Edward Henry Charles Geoffrey Terence Barry Trevor Malcolm Nigel
Stuart Craig Scott Wayne Dean Carl Shaun Gavin Ross Jamie Alexander Nicholas Patrick Sean Kieran Jordan Bradley Tyler
Reece Ethan Noah Leo Archie Freddie Oscar Logan Mason Lucas Max Theo Tom Bill Zachary Lawrence Gerald Edmund Imran Tariq
`
  .trim()
  .split(/\s+/);

export const FEMALE_GIVEN_NAMES = `
Margaret Susan Sarah Elizabeth Patricia Mary Jean Linda Karen Julie Helen Emma Claire Nicola Joanne Lisa Michelle
Rachel Laura Rebecca Hannah Jessica Sophie Emily Chloe Amy Charlotte Lucy Olivia Amelia Isla Ava Mia Grace Ella Lily
Freya Poppy Isabella Evie Ruby Sophia Ann Anne Barbara Dorothy Joan Betty Doris Irene Joyce Sheila Brenda Pauline
Christine Janet Carol Valerie Maureen Kathleen Catherine Deborah Tracey Amanda Angela Jacqueline Alison Gillian Wendy
Sandra Diane Kim Kelly Samantha Natalie Gemma Stacey Danielle Kirsty Victoria Katherine Louise Jennifer Alice Eleanor
Abigail Megan Holly Bethany Jade Leanne Zoe Fatima Aisha Ayesha Teresa Josephine Joanna Diana Geraldine Christina
Natasha Paula Fiona Caroline Jane Judith Lesley Marion Hazel Shirley Elsie Edna Vera Florence Phyllis Eileen Evelyn
Kate Beth Maggie Sue Anna Kimberley Alexandra Cathryn Priya Agnieszka
`
  .trim()
  .split(/\s+/);

/** Postcode districts of the fictional Northshire, with the town each serves. Shapes are real UK postcodes. */
export const POSTCODE_DISTRICTS = Array.from({ length: 80 }, (_, i) => {
  const areas = [
    ['NE', 'Northshire'],
    ['DH', 'Durhamford'],
    ['SR', 'Seaburn'],
    ['TS', 'Teesmouth'],
  ] as const;
  const [area, town] = areas[i % areas.length]!;
  return { district: `${area}${1 + Math.floor(i / areas.length)}`, town };
});

export const STREETS = `High Street|Station Road|Church Lane|Victoria Road|Green Lane|Manor Road|Park Avenue|Queen Street|
Mill Lane|Chapel Street|North Road|Albert Road|The Crescent|Grange Road|New Street|Windsor Road|Kings Road|York Road|
Springfield Road|West Street|Front Street|Elm Grove|Coronation Street|Beech Avenue|Oak Close|Riverside Walk|
Market Place|Bridge Street|Hillside Drive|Meadow View|Willow Court|Alexandra Road|St John's Road|Cedar Way|Ashfield Terrace`
  .split('|')
  .map((s) => s.trim());

export const REFERRAL_REASONS = [
  'Low mood and withdrawal from family; not eating well',
  'Increasing paranoid thoughts, stopped medication',
  'Struggling to manage at home after a fall; carer exhausted',
  'Self-harm disclosed to GP; wants support',
  'Hearing voices, first episode, college worried',
  'Alcohol use escalating, risk of losing tenancy',
  'Memory problems and getting lost; family concerned',
  'Safeguarding concern: possible financial abuse by a relative',
  'Discharged from ward, needs follow-up and care coordination',
  'Anxiety and panic attacks stopping them leaving the house',
];

export const REFERRER_NAMES = ['Dr Sarah Lin', 'Ben Carter', 'Kofi Mensah', 'Jade Robinson', 'DC Laura Evans', 'Michael Dunn', 'Ward 3 nurse in charge', 'A family member', 'Self-referral', 'Practice nurse'];
