import { Rng } from '../lib/seeded-random.js';
import type { DirectoryOrgEntry, DirectoryPersonEntry } from './directory-file-schema.js';

// `rollcall generate`: a synthetic directory file, the same for the same options on every run. Names are
// drawn with Zipf-like weights from pools per region (plus made-up surnames for the long tail), so that
// displayName prefixes match about as many people as in a real directory: "j" many, "john" some,
// "john sm" few. Emails are unique; the second org manages the first (a partner and its customer); a
// spread of people hold tokens, every fifth of them an admin.

export interface GenerateOptions {
  people: number;
  orgs: number;
  seed: number;
  /** People who hold a token; every fifth of them (and the first of every org) is an admin. */
  tokens: number;
}

export const GENERATE_DEFAULTS = { orgs: 3, seed: 42, tokens: 100 } as const;

/** A token holder of a generated directory, for benchmarks and tests that need to call the API. */
export interface GeneratedTokenHolder {
  token: string;
  personId: string;
  orgId: string;
  role?: string;
}

interface Region {
  country: string;
  dial: string;
  pools: readonly [pool: NamePool, weight: number][];
  cities: readonly (readonly [locality: string, region: string, postalCode: string, timezone: string])[];
}

interface OrgTemplate {
  displayName: string;
  domain: string;
  region: Region;
  weight: number;
}

/** A sampler over names ordered from most to least common. */
class Weighted {
  private readonly cumulative: Float64Array;

  constructor(
    readonly values: readonly string[],
    offset = 8,
  ) {
    this.cumulative = new Float64Array(values.length);
    let sum = 0;
    values.forEach((_, rank) => {
      sum += 1 / (rank + 1 + offset);
      this.cumulative[rank] = sum;
    });
  }

  pick(rng: Rng): string {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    const x = rng.float() * total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return this.values[lo] ?? '';
  }
}

interface NamePool {
  first: Weighted;
  last: Weighted;
  /** Made-up surnames for the long tail: a stem and an ending. */
  stems: readonly string[];
  endings: readonly string[];
}

const words = (text: string) => text.trim().split(/\s+/);

const ANGLO: NamePool = {
  first: new Weighted(
    words(`James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard
      Susan Joseph Jessica Thomas Sarah Christopher Karen Charles Lisa Daniel Nancy Matthew Betty Anthony
      Sandra Mark Margaret Donald Ashley Steven Kimberly Andrew Emily Paul Donna Joshua Michelle Kenneth
      Carol Kevin Amanda Brian Melissa George Deborah Timothy Stephanie Ronald Rebecca Jason Sharon Edward
      Laura Jeffrey Cynthia Ryan Amy Jacob Kathleen Gary Angela Nicholas Shirley Eric Brenda Jonathan Emma
      Stephen Anna Larry Pamela Justin Nicole Scott Samantha Brandon Katherine Benjamin Christine Samuel
      Helen Gregory Debra Alexander Rachel Patrick Carolyn Frank Janet Raymond Maria Jack Olivia Dennis
      Heather Jerry Oliver Harry Charlotte Amelia George Isla Noah Ava Leo Mia Arthur Grace Freddie Chloe`),
  ),
  last: new Weighted(
    words(`Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin
      Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green
      Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins
      Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Bailey Reed Kelly Howard Cox Ward Richardson
      Watson Brooks Wood James Bennett Gray Hughes Price Sanders Myers Long Ross Foster Powell Jenkins
      Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Fisher Graham Hamilton Wallace Woods
      Cole West Jordan Owens Reynolds Ellis Harrison Gibson McDonald Marshall O'Brien Murray Kennedy Wells
      Hunt Palmer Black Holmes Knight Lloyd Hughes Shaw Lawrence Fletcher Mason Chapman Dixon Hunter`),
  ),
  stems: words('Ash Black Brad Brook Cald Craw Dal Elling Fair Gold Hart Hol Kent Lang Mar Notting Red Stan'),
  endings: words('ford well wood ton ley field by more ham son worth stead'),
};

const GERMANIC: NamePool = {
  first: new Weighted(
    words(`Thomas Anna Michael Maria Andreas Ursula Stefan Monika Peter Petra Christian Elisabeth Wolfgang
      Sabine Klaus Renate Jürgen Helga Frank Karin Markus Brigitte Uwe Ingrid Matthias Erika Martin Andrea
      Alexander Gisela Tobias Claudia Jan Susanne Lukas Julia Felix Laura Jonas Lea Maximilian Lena Paul
      Hannah Leon Sophie Florian Katharina Sebastian Johanna Daniel Nina Tim Sarah Dirk Anja Sven Silke
      Jörg Heike Lars Kerstin Henrik Birgit Moritz Mia Niklas Emilia Finn Clara Jakob Greta Matteo Ida Ole
      Frieda Björn Astrid Nils Ingrid Erik Karin Anders Sofie Lasse Freja Magnus Linnea Rasmus Maja Emil`),
  ),
  last: new Weighted(
    words(`Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer
      Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt
      Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber
      Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank
      Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus
      Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber
      Graf Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff
      Pfeiffer Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsen Hansen Jensen Nielsen`),
  ),
  stems: words('Alt Berg Brand Eich Feld Gross Hoch Kirch Lind Ober Stein Wald Rosen Schön Tann Holz'),
  endings: words('mann er hauser meier berger bach dorf stein huber feld thal'),
};

const GLOBAL: NamePool = {
  first: new Weighted(
    words(`Mohammed Wei Ana Carlos Priya Juan Fatima José Mei Rahul Sofia Luis Ying Ahmed Aisha Jorge Yuki
      Ali Lucía Hiroshi Amit Camila Miguel Ananya Jin Omar Valentina Ravi Li Diego Nadia Kenji Sara Arjun
      Hana Alejandro Zainab Javier Min Deepak Isabella Chen Mateo Leila Sanjay Ji-woon Pedro Elena Vikram
      Yan Rafael Amira Haruto Gabriela Tariq Xin Fernando Noor Kwame Chiara Marco Aylin Mehmet Olga Dmitri
      Irina Sergei Katarzyna Piotr Giulia Luca Francesca Ngozi Chidi Thabo Amara Kofi Yasmin Hassan Aarav
      Divya Krishna Lakshmi Suresh Anjali Vivek Pooja Rohan Neha Arun Sneha Farah Karim Bilal Samira`),
  ),
  last: new Weighted(
    words(`Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou García Rodríguez González Fernández López
      Martínez Sánchez Pérez Gómez Kumar Singh Sharma Patel Gupta Shah Reddy Nguyen Tran Le Pham Kim Lee
      Park Choi Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Khan Ahmed Ali Hussain Rahman
      Silva Santos Oliveira Souza Costa Pereira Rossi Russo Ferrari Esposito Bianchi Romano Kowalski Nowak
      Wiśniewski Ivanov Petrov Smirnov Popescu Novak Horvat Yılmaz Kaya Demir Okafor Okonkwo Mensah Boateng
      Mahlangu Dlamini Haddad Nasser Cohen Levi Dubois Moreau Laurent Lefebvre Bernard Rousseau Fontaine
      Jansen de-Vries Bakker Visser Janssens Peeters Murphy O'Connor Byrne Walsh Kaur Iyer Menon Nair Rao`),
  ),
  stems: words('Abe Bala Chand Ferre Hosse Kari Madhu Nakaga Ol Ramaswa Sato Vasi Yoshi'),
  endings: words('mi ra wa no ni iri ndran kar yan zadeh ova ez'),
};

const US: Region = {
  country: 'US',
  dial: '+1 408 555',
  pools: [
    [ANGLO, 0.55],
    [GLOBAL, 0.35],
    [GERMANIC, 0.1],
  ],
  cities: [
    ['San Jose', 'California', '95134', 'America/Los_Angeles'],
    ['Austin', 'Texas', '78701', 'America/Chicago'],
    ['New York', 'New York', '10001', 'America/New_York'],
    ['Raleigh', 'North Carolina', '27601', 'America/New_York'],
  ],
};
const GB: Region = {
  country: 'GB',
  dial: '+44 20 7946',
  pools: [
    [ANGLO, 0.6],
    [GLOBAL, 0.3],
    [GERMANIC, 0.1],
  ],
  cities: [
    ['London', 'England', 'EC2A 4NE', 'Europe/London'],
    ['Manchester', 'England', 'M1 1AE', 'Europe/London'],
    ['Edinburgh', 'Scotland', 'EH1 1YZ', 'Europe/London'],
  ],
};
const DE: Region = {
  country: 'DE',
  dial: '+49 30 5557',
  pools: [
    [GERMANIC, 0.6],
    [GLOBAL, 0.25],
    [ANGLO, 0.15],
  ],
  cities: [
    ['Berlin', 'Berlin', '10115', 'Europe/Berlin'],
    ['München', 'Bayern', '80331', 'Europe/Berlin'],
    ['Hamburg', 'Hamburg', '20095', 'Europe/Berlin'],
  ],
};

// The second org manages the first; the weights give 60 %, 15 % and 25 % of the people to three orgs.
const ORG_TEMPLATES: readonly OrgTemplate[] = [
  { displayName: 'Acme Corporation', domain: 'acme.example', region: US, weight: 12 },
  { displayName: 'Globex Partners', domain: 'globex.example', region: GB, weight: 3 },
  { displayName: 'Initech GmbH', domain: 'initech.example', region: DE, weight: 5 },
];

const DEPARTMENTS: readonly (readonly [department: string, titles: readonly string[]])[] = [
  ['Engineering', ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Engineering Manager']],
  ['Sales', ['Account Executive', 'Sales Engineer', 'Regional Sales Director']],
  ['Customer Success', ['Customer Success Manager', 'Support Engineer', 'Technical Account Manager']],
  ['Finance', ['Financial Analyst', 'Controller', 'Accounts Payable Specialist']],
  ['Marketing', ['Product Marketing Manager', 'Content Strategist', 'Marketing Operations Lead']],
  ['IT', ['Collaboration Engineer', 'IT Support Specialist', 'Network Administrator']],
  ['Operations', ['Operations Analyst', 'Facilities Coordinator', 'Program Manager']],
];

const ADMIN_ROLES = ['id_full_admin', 'id_user_admin', 'id_readonly_admin'] as const;
const BOT_SHARE = 0.005;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Timestamps are relative to this fixed instant, so that the output does not depend on the day. */
const EPOCH = Date.parse('2026-01-01T00:00:00.000Z');

export interface GeneratedOrg extends DirectoryOrgEntry {
  id: string;
  domain: string;
  people: number;
}

/** The orgs of a generated directory as the directory file holds them. */
export function generatedOrgEntries(options: GenerateOptions): DirectoryOrgEntry[] {
  return generatedOrgs(options).map(({ id, displayName, manages }) => ({
    id,
    displayName,
    ...(manages && { manages }),
  }));
}

/** The orgs of a generated directory, with how many people each gets. */
export function generatedOrgs(options: GenerateOptions): GeneratedOrg[] {
  const rng = new Rng(options.seed ^ 0x5eed);
  const templates = Array.from({ length: options.orgs }, (_, i) => {
    const base = ORG_TEMPLATES[i % ORG_TEMPLATES.length] as OrgTemplate;
    const round = Math.floor(i / ORG_TEMPLATES.length);
    if (round === 0) return base;
    const [name, tld] = base.domain.split('.') as [string, string];
    return { ...base, displayName: `${base.displayName} ${round + 1}`, domain: `${name}${round + 1}.${tld}` };
  });
  const totalWeight = templates.reduce((sum, t) => sum + t.weight, 0);
  let assigned = 0;
  const orgs = templates.map((t, i) => {
    const people =
      i === templates.length - 1
        ? options.people - assigned
        : Math.round((options.people * t.weight) / totalWeight);
    assigned += people;
    return { id: rng.uuid(), displayName: t.displayName, domain: t.domain, people };
  });
  const partner = orgs[1];
  const customer = orgs[0];
  if (partner && customer) (partner as GeneratedOrg).manages = [customer.id];
  return orgs;
}

/** What every person of an org shares: licenses, locations, a pool of managers. */
interface OrgContext {
  org: GeneratedOrg;
  template: OrgTemplate;
  licenses: { messaging: string; meetings: string; calling: string };
  locations: string[];
  managers: { id: string; displayName: string }[];
  /** Local parts of email addresses taken so far, with how often each was wanted. */
  locals: Map<string, number>;
}

/** The token and admin role of a person, when they have a token. */
export function tokenHolderOf(person: DirectoryPersonEntry): GeneratedTokenHolder | undefined {
  const token = person.tokens?.[0];
  if (token === undefined) return undefined;
  return {
    token: typeof token === 'string' ? token : token.token,
    personId: person.id as string,
    orgId: person.orgId,
    ...(person.roles?.[0] !== undefined && { role: person.roles[0] }),
  };
}

/**
 * The people of a generated directory, one at a time (a million need not be held at once). Tokens are
 * given to `options.tokens` people spread over the whole directory.
 */
export function* generatePeople(options: GenerateOptions): Generator<DirectoryPersonEntry> {
  const orgs = generatedOrgs(options);
  const rng = new Rng(options.seed);
  const tokenEvery = Math.max(1, Math.floor(options.people / Math.max(1, options.tokens)));
  let nextTokenAt = 0;
  let holders = 0;
  let index = 0;
  for (const [orgIndex, org] of orgs.entries()) {
    const template = ORG_TEMPLATES[orgIndex % ORG_TEMPLATES.length] as OrgTemplate;
    const context: OrgContext = {
      org,
      template,
      licenses: {
        messaging: `MS_${rng.uuid()}`,
        meetings: `MC_${rng.uuid()}_${org.domain.split('.')[0] ?? 'site'}.webex.com`,
        calling: `BCSTD_${rng.uuid()}`,
      },
      locations: Array.from({ length: 8 }, () => String(60000 + rng.int(40000))),
      managers: [],
      locals: new Map(),
    };
    let orgHolders = 0;
    for (let n = 0; n < org.people; n++, index++) {
      const person = generatePerson(rng, context, n);
      // Plain people only (no bots, no pending invites, login enabled) hold tokens; the first one of each
      // org is an admin, and so is every fifth after that.
      const due = holders < options.tokens && (index >= nextTokenAt || orgHolders === 0);
      const eligible =
        person.type === undefined && person.invitePending === undefined && person.loginEnabled === undefined;
      if (due && eligible) {
        const token = `rollcall-gen-${rng.hex(48)}`;
        person.tokens = [token];
        const admin = orgHolders === 0 || holders % 5 === 0;
        const role = admin ? ADMIN_ROLES[holders % ADMIN_ROLES.length] : undefined;
        if (role !== undefined) person.roles = [role];
        nextTokenAt = index + tokenEvery;
        holders++;
        orgHolders++;
      }
      yield person;
    }
  }
}

function generatePerson(rng: Rng, context: OrgContext, n: number): DirectoryPersonEntry {
  const { org, template } = context;
  const region = template.region;
  const id = rng.uuid();
  const pool = pickPool(rng, region);
  const firstName = pool.first.pick(rng);
  const lastName = rng.chance(0.25)
    ? `${rng.pick(pool.stems)}${rng.pick(pool.endings)}`
    : pool.last.pick(rng).replace('-', ' ');
  const created = EPOCH - (30 + rng.int(8 * 365)) * DAY_MS - rng.int(DAY_MS);
  const lastModified = Math.min(EPOCH - rng.int(DAY_MS), created + rng.int(3 * 365) * DAY_MS);

  if (rng.chance(BOT_SHARE)) {
    const displayName = `${lastName} ${rng.pick(['Helper', 'Notifier', 'Assistant', 'Alerts'])} Bot`;
    return {
      id,
      orgId: org.id,
      type: 'bot',
      emails: [
        `${claimLocal(context, `${org.domain.split('.')[0] ?? 'org'}-${asciiLocal(displayName)}`)}@webex.bot`,
      ],
      displayName,
      created: iso(created),
      lastModified: iso(lastModified),
    };
  }

  const middle = rng.chance(0.08) ? ` ${String.fromCharCode(65 + rng.int(26))}.` : '';
  const displayName = `${firstName}${middle} ${lastName}`;
  const local = claimLocal(context, `${asciiLocal(firstName)}.${asciiLocal(lastName)}`);
  const emails = [`${local}@${org.domain}`];
  if (rng.chance(0.05)) {
    emails.push(
      `${claimLocal(context, `${asciiLocal(firstName).charAt(0)}${asciiLocal(lastName)}`)}@${org.domain}`,
    );
  }
  const [department, titles] = rng.pick(DEPARTMENTS);
  const [locality, regionName, postalCode, timezone] = rng.pick(region.cities);
  const person: DirectoryPersonEntry = {
    id,
    orgId: org.id,
    emails,
    displayName,
    firstName,
    lastName,
    title: rng.pick(titles),
    department,
    timezone,
    created: iso(created),
    lastModified: iso(lastModified),
    licenses: [context.licenses.messaging, ...(rng.chance(0.7) ? [context.licenses.meetings] : [])],
  };
  if (rng.chance(0.1)) person.nickName = firstName.slice(0, Math.max(3, firstName.length - 2));
  if (rng.chance(0.6)) {
    person.avatar = `https://avatar-prod-us-east-2.webexcontent.com/Avtr~V1~${org.id}/V1~${rng.hex(40)}~1600`;
  }
  const calling = rng.chance(0.3);
  const phoneNumbers: NonNullable<DirectoryPersonEntry['phoneNumbers']> = [];
  const extension = String(2000 + rng.int(8000));
  if (calling || rng.chance(0.5)) {
    phoneNumbers.push({
      type: 'work',
      value: `${region.dial} ${String(1000 + rng.int(9000))}`,
      primary: true,
    });
  }
  if (rng.chance(0.4)) phoneNumbers.push({ type: 'mobile', value: `${region.dial} ${rng.int(1e7)}` });
  if (phoneNumbers.length > 0) person.phoneNumbers = phoneNumbers;
  if (calling) {
    person.extension = extension;
    person.locationId = rng.pick(context.locations);
    (person.licenses as string[]).push(context.licenses.calling);
  }
  if (rng.chance(0.5)) {
    person.addresses = [{ type: 'work', country: region.country, locality, region: regionName, postalCode }];
  }
  const manager = context.managers.length > 0 && rng.chance(0.8) ? rng.pick(context.managers) : undefined;
  if (manager) {
    person.manager = manager.displayName;
    person.managerId = manager.id;
  }
  if (context.managers.length < 500 && (n < 50 || rng.chance(0.01)))
    context.managers.push({ id, displayName });
  if (rng.chance(0.4)) {
    person.sipAddresses = [
      { type: 'personal-room', value: `${local}@${org.domain.split('.')[0] ?? 'site'}.webex.com` },
    ];
  }
  if (rng.chance(0.02)) person.invitePending = true;
  else if (rng.chance(0.01)) person.loginEnabled = false;
  if (person.invitePending === undefined && rng.chance(0.85)) {
    person.presence = { lastActivity: iso(EPOCH - rng.int(30 * DAY_MS)) };
    if (rng.chance(0.1)) person.presence.state = rng.pick(['meeting', 'call', 'DoNotDisturb', 'OutOfOffice']);
  }
  return person;
}

function pickPool(rng: Rng, region: Region): NamePool {
  let x = rng.float();
  for (const [pool, weight] of region.pools) {
    if (x < weight) return pool;
    x -= weight;
  }
  return (region.pools[0] as [NamePool, number])[0];
}

const asciiLocals = new Map<string, string>();

/** `Jürgen`, `O'Brien`, `de Vries` → `jurgen`, `obrien`, `de-vries`: what goes into an email address. */
function asciiLocal(name: string): string {
  let local = asciiLocals.get(name);
  if (local === undefined) {
    local = name
      .normalize('NFD')
      .replace(/ß/g, 'ss')
      .replace(/[^A-Za-z -]/g, '')
      .replace(/[ ]+/g, '-')
      .toLowerCase();
    if (asciiLocals.size < 100_000) asciiLocals.set(name, local);
  }
  return local;
}

/** The wanted local part, or with a number appended when it is taken (`john.smith`, `john.smith2`). */
function claimLocal(context: OrgContext, wanted: string): string {
  const seen = context.locals.get(wanted) ?? 0;
  context.locals.set(wanted, seen + 1);
  return seen === 0 ? wanted : `${wanted}${seen + 1}`;
}

const isoDays = new Map<number, string>();

/** `new Date(ms).toISOString()`, with the date part cached per day (it is called millions of times). */
function iso(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let date = isoDays.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 11);
    isoDays.set(day, date);
  }
  const t = ms - day * DAY_MS;
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${date}${pad(Math.floor(t / 3_600_000), 2)}:${pad(Math.floor(t / 60_000) % 60, 2)}:${pad(
    Math.floor(t / 1000) % 60,
    2,
  )}.${pad(t % 1000, 3)}Z`;
}

/**
 * The directory file, as pieces of JSON text to write one after another: one org or person per line,
 * so that a million people never sit in memory as one string. `onPerson` sees each person written.
 */
export function* generateDirectoryText(
  options: GenerateOptions,
  onPerson?: (person: DirectoryPersonEntry) => void,
): Generator<string> {
  const orgs = generatedOrgEntries(options);
  yield `{"orgs":[\n${orgs.map((org) => JSON.stringify(org)).join(',\n')}\n],"people":[\n`;
  let first = true;
  for (const person of generatePeople(options)) {
    onPerson?.(person);
    yield first ? JSON.stringify(person) : `,\n${JSON.stringify(person)}`;
    first = false;
  }
  yield '\n]}\n';
}
