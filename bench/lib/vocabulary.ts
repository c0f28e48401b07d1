/**
 * Word lists the generator draws its copy from. Sentences are templates filled from these lists, so
 * the text varies like news copy does: a few words (government, officials, city) turn up in a large
 * share of stories, most in a few percent, and SELECTIVE_WORD only where the generator puts it.
 */

/** Comma-separated words and phrases, kept as text so that the lists stay dense on the page. */
function list(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Proper-cased place names; the dateline is the upper-case form. */
export const PLACES = list(`
  Baghdad, Nairobi, Lima, Oslo, Manila, Denver, Lagos, Hanoi, Quito, Dakar, Tbilisi, Accra, Bogota, Lisbon,
  Cairo, Tunis, Seoul, Perth, Halifax, Tucson, Kampala, Mumbai, Jakarta, Karachi, Ankara, Beirut, Amman, Havana,
  Santiago, Montevideo, Reykjavik, Helsinki, Vilnius, Krakow, Porto, Valencia, Marseille, Naples, Geneva, Vienna,
  Athens, Sofia, Bucharest, Kyiv, Almaty, Tashkent, Dhaka, Colombo, Kathmandu, Yangon, Phnom Penh, Osaka, Busan,
  Auckland, Suva, Anchorage, Boise, Omaha, Memphis, Tallahassee
`);

/** Collective subjects, singular so that one verb form fits all. */
export const SUBJECTS = list(`
  The government, City council, The health ministry, The teachers' union, The central bank, The regional court,
  The transit agency, The port authority, The electoral commission, The fire service, The water utility,
  The farmers' cooperative, The parliament, The mayor's office, The school board, The state legislature,
  The energy regulator, The football federation, The coast guard, The national museum, The tax office,
  The housing authority, The police department, The airline, The university, The hospital group,
  The mining company, The environment agency, The trade ministry, The opposition party
`);

export const HEADLINE_VERBS = list(`
  approves, rejects, delays, backs, questions, expands, cuts, unveils, defends, suspends, revives, scraps,
  extends, reviews, doubles, caps, funds, blocks, launches, pauses, overhauls, restores, challenges, finalizes,
  postpones, endorses, weighs, tightens, eases, audits
`);

export const TOPICS = list(`
  water rationing plan, school funding, bridge repairs, fuel subsidies, housing project, flood defenses,
  vaccine drive, rail link, mining permits, annual budget, minimum wage rise, bus fares, port expansion,
  tax reform, pension changes, hospital merger, election timetable, fishing quotas, wind farm, curfew,
  rent controls, teacher contracts, airport runway, drought relief, street lighting, library closures,
  border checks, power tariffs, recycling scheme, night flights, police reform, road tolls,
  water treatment plant, refugee shelter, cycle lanes, heat warnings, museum loan, ferry service,
  government spending plan, crop insurance, landslide response, data protection rules, stadium lease,
  coal phase-out, metro extension, flood insurance, food price controls, cholera response, clinic hours,
  bond sale
`);

export const PEOPLE_GROUPS = list(`
  residents, officials, commuters, farmers, nurses, teachers, shop owners, fishermen, students, pensioners,
  drivers, doctors, engineers, voters, miners, tenants, workers, parents, volunteers, inspectors
`);

export const ORGANIZATIONS = list(`
  the government, local officials, the interior ministry, a parliamentary committee, the Red Crescent,
  the World Bank, the chamber of commerce, the national statistics office, an independent auditor,
  the United Nations, the city's planning department, a group of economists, the meteorological service,
  the labor ministry, a coalition of charities, the transport ministry, election observers,
  the national weather service, the state auditor, government documents
`);

export const VERB_PHRASES = list(`
  cost more than expected, take at least two years, be reviewed by an outside panel, go to a public vote,
  start before the rainy season, be paid for by new bonds, need approval from parliament,
  protect thousands of homes, cut waiting times, create hundreds of jobs, face legal challenges,
  be finished ahead of schedule, raise prices for households, be scaled back, require further study,
  reach rural districts first, be debated again next week, save the city millions, replace an aging system,
  ease pressure on hospitals
`);

export const STATES = list(`
  on hold, under review, behind schedule, over budget, in dispute, in its final stage, partly funded,
  a source of protests, closely watched by investors, delayed by heavy rain, in limbo, a campaign issue
`);

export const ADJECTIVES = list(`
  unaffordable, long overdue, poorly planned, a step forward, necessary, rushed, unfair to the poor, a relief,
  too little too late, a model for other cities, risky, a welcome change, confusing, popular
`);

export const TIMES = list(`
  by the end of the year, next month, within weeks, before the election, this summer, by next spring,
  in the coming days, after the holidays, over the next decade, by March, later this year, early next year
`);

export const SINCE = list(`
  January, last spring, the floods, the election, the strike, 2019, the budget vote, the court ruling, the storm,
  last year, the audit, the protests
`);

export const WEEKDAYS = list(`
  Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday
`);

export const FIRST_NAMES = list(`
  Amina, Jorge, Mei, Olu, Sara, Tomasz, Priya, Kwame, Elena, Hiro, Fatima, Lars, Nadia, Diego, Aisha, Pavel,
  Grace, Yusuf, Ingrid, Mateo, Leila, Chen, Rosa, Emeka, Hana, Omar, Lucia, Tariq, Anya, Kofi
`);

export const LAST_NAMES = list(`
  Okafor, Silva, Tanaka, Haddad, Novak, Mensah, Ivanova, Rahman, Costa, Lindqvist, Abebe, Moreno, Kowalski,
  Nguyen, Mwangi, Petrov, Santos, Yilmaz, Ochieng, Duarte, Farouk, Berg, Kim, Alvarez, Osei, Romero, Sato,
  Jensen, Hussein, Reyes
`);

export const TITLES = list(`
  Minister of Water, city council member, spokesperson for the port authority, professor of economics,
  union leader, hospital director, mayor, police chief, school principal, farmer, shop owner, senior economist,
  fire chief, environment minister, opposition lawmaker, transport analyst
`);

export const ANONYMOUS_DESCRIPTIONS = list(`
  a senior official at the interior ministry, a person familiar with the negotiations, a diplomat in the region,
  a police officer who was at the scene, a council employee, an aide to the mayor,
  a military intelligence official, a person briefed on the audit, a hospital administrator,
  a former executive of the company
`);

/**
 * Searching for it finds about one story in SELECTIVE_EVERY (a selective search); the common-word
 * search uses COMMON_WORD, which the lists above put in a large share of stories.
 */
export const SELECTIVE_WORD = "quokka";
export const SELECTIVE_EVERY = 5000;
export const COMMON_WORD = "government";
