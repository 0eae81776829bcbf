import type { DirectoryFile, DirectoryPersonEntry } from '../src/directory/directory-file-schema.js';
import { EXPLICIT_PRESENCE_STATES } from '../src/domain/model.js';
import { Rng } from '../src/domain/seeded-random.js';

// A deterministic directory for the benchmark: three orgs (a customer, the partner that manages it, and an
// unrelated company), people with the fields a real Webex directory fills in, and tokens for a few
// hundred of them, admins and plain users.

export interface BenchCaller {
  token: string;
  personId: string;
  orgId: string;
  /** Holds an admin role (full, user or read-only) that makes them an admin of `adminOf`. */
  admin: boolean;
  /** The orgs this caller is an admin of (own org plus managed orgs), empty for plain users. */
  adminOf: readonly string[];
}

export interface BenchDirectory {
  file: DirectoryFile;
  /** Person UUIDs by org UUID. */
  peopleByOrg: ReadonlyMap<string, readonly string[]>;
  allPeople: readonly string[];
  callers: readonly BenchCaller[];
}

export interface GenerateOptions {
  people: number;
  tokenHolders: number;
  seed: number;
}

interface OrgPlan {
  id: string;
  displayName: string;
  domain: string;
  share: number;
  manages: string[];
  callingShare: number;
  country: string;
  cities: readonly (readonly [locality: string, region: string, postalCode: string, timezone: string])[];
}

const ACME = 'b3e1c0de-0000-4000-8000-00000000a001';
const GLOBEX = 'b3e1c0de-0000-4000-8000-00000000a002';
const INITECH = 'b3e1c0de-0000-4000-8000-00000000a003';

const ORGS: readonly OrgPlan[] = [
  {
    id: ACME,
    displayName: 'Acme Corporation',
    domain: 'acme.example',
    share: 0.6,
    manages: [],
    callingShare: 0.45,
    country: 'US',
    cities: [
      ['San Jose', 'California', '95134', 'America/Los_Angeles'],
      ['Austin', 'Texas', '78701', 'America/Chicago'],
      ['New York', 'New York', '10001', 'America/New_York'],
      ['Raleigh', 'North Carolina', '27601', 'America/New_York'],
    ],
  },
  {
    id: GLOBEX,
    displayName: 'Globex Partners',
    domain: 'globex.example',
    share: 0.15,
    manages: [ACME],
    callingShare: 0.3,
    country: 'GB',
    cities: [
      ['London', 'England', 'EC2A 4NE', 'Europe/London'],
      ['Manchester', 'England', 'M1 1AE', 'Europe/London'],
    ],
  },
  {
    id: INITECH,
    displayName: 'Initech GmbH',
    domain: 'initech.example',
    share: 0.25,
    manages: [],
    callingShare: 0.2,
    country: 'DE',
    cities: [
      ['Berlin', 'Berlin', '10115', 'Europe/Berlin'],
      ['München', 'Bayern', '80331', 'Europe/Berlin'],
    ],
  },
];

// prettier-ignore
const FIRST_NAMES = [
  'Aisha', 'Alejandro', 'Amelia', 'Anders', 'Ananya', 'Benjamin', 'Camille', 'Chen', 'Chiara', 'Daniel',
  'Dmitri', 'Elena', 'Emma', 'Fatima', 'François', 'Gabriel', 'Hannah', 'Hiroshi', 'Ingrid', 'Isabella',
  'Jamal', 'Jia', 'Jonas', 'Julia', 'Kwame', 'Laura', 'Liam', 'Lucía', 'Mateo', 'Mei', 'Mohammed', 'Nadia',
  'Noah', 'Olivia', 'Omar', 'Priya', 'Rafael', 'Rosa', 'Samuel', 'Sofia', 'Sven', 'Tariq', 'Thomas', 'Yuki',
];

// prettier-ignore
const LAST_NAMES = [
  'Andersson', 'Bauer', 'Chen', 'Costa', 'Dubois', 'Fernández', 'García', 'Gupta', 'Hansen', 'Ibrahim',
  'Jensen', 'Johnson', 'Kim', 'Kowalski', 'Larsen', 'López', 'Martin', 'Müller', 'Nakamura', 'Nguyen',
  'Novak', 'O’Brien', 'Okafor', 'Patel', 'Rossi', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Svensson',
  'Tanaka', 'Williams', 'Yamamoto', 'Zhang',
];

const DEPARTMENTS: readonly (readonly [department: string, titles: readonly string[]])[] = [
  ['Engineering', ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Engineering Manager']],
  ['Sales', ['Account Executive', 'Sales Engineer', 'Regional Sales Director']],
  ['Customer Success', ['Customer Success Manager', 'Support Engineer', 'Technical Account Manager']],
  ['Finance', ['Financial Analyst', 'Controller', 'Accounts Payable Specialist']],
  ['Marketing', ['Product Marketing Manager', 'Content Strategist', 'Marketing Operations Lead']],
  ['IT', ['Collaboration Engineer', 'IT Support Specialist', 'Network Administrator']],
  ['People', ['HR Business Partner', 'Recruiter', 'People Operations Specialist']],
];

const ADMIN_ROLES = ['id_full_admin', 'id_user_admin', 'id_readonly_admin'] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A directory file of `people` people in three orgs, with tokens for `tokenHolders` of them. */
export function generateDirectory(options: GenerateOptions, now: number = Date.now()): BenchDirectory {
  const rng = new Rng(options.seed);
  const iso = (ms: number) => new Date(ms).toISOString();
  const people: DirectoryPersonEntry[] = [];
  const peopleByOrg = new Map<string, string[]>();
  const usedEmails = new Set<string>();
  const licenseIds = ORGS.map((org) => ({
    messaging: `MS_${rng.uuid()}`,
    meetings: `MC_${rng.uuid()}_${org.domain.split('.')[0] ?? 'site'}.webex.com`,
    calling: `BCSTD_${rng.uuid()}`,
    spark: `CF_${rng.uuid()}`,
  }));
  const locationIds = ORGS.map(() => Array.from({ length: 6 }, () => String(60000 + rng.int(40000))));

  ORGS.forEach((org, orgIndex) => {
    const count =
      orgIndex === ORGS.length - 1 ? options.people - people.length : Math.round(options.people * org.share);
    const ids: string[] = [];
    peopleByOrg.set(org.id, ids);
    const licenses = licenseIds[orgIndex] as (typeof licenseIds)[number];
    const locations = locationIds[orgIndex] as string[];
    const managers: { id: string; displayName: string }[] = [];

    for (let n = 0; n < count; n++) {
      const id = rng.uuid();
      ids.push(id);
      const bot = rng.chance(0.01);
      const firstName = rng.pick(FIRST_NAMES);
      const lastName = rng.pick(LAST_NAMES);
      const displayName = bot
        ? `${lastName} ${rng.pick(['Helper', 'Notifier', 'Assistant'])} Bot`
        : `${firstName} ${lastName}`;
      const local = (bot ? displayName : `${firstName}.${lastName}`)
        .normalize('NFD')
        .replace(/[^A-Za-z. ]/g, '')
        .replace(/ /g, '-')
        .toLowerCase();
      let email = `${local}@${org.domain}`;
      for (let k = 2; usedEmails.has(email); k++) email = `${local}${k}@${org.domain}`;
      usedEmails.add(email);
      const emails = [email];
      if (!bot && rng.chance(0.1)) {
        const alias = `${local.charAt(0)}${local.split('.').pop() ?? ''}${n}@${org.domain}`;
        if (!usedEmails.has(alias)) {
          usedEmails.add(alias);
          emails.push(alias);
        }
      }
      const created = now - (30 + rng.int(5 * 365)) * DAY_MS - rng.int(DAY_MS);
      const lastModified = Math.min(now - rng.int(DAY_MS), created + rng.int(3 * 365) * DAY_MS);

      if (bot) {
        people.push({
          id,
          orgId: org.id,
          type: 'bot',
          emails: [`${local}-${n}@webex.bot`],
          displayName,
          avatar: `https://avatar-prod-us-east-2.webexcontent.com/Avtr~V1~${org.id}/V1~${rng.hex(64)}~${rng.hex(32)}~1600`,
          created: iso(created),
          lastModified: iso(lastModified),
        });
        continue;
      }

      const [department, titles] = rng.pick(DEPARTMENTS);
      const [locality, region, postalCode, timezone] = rng.pick(org.cities);
      const callingUser = rng.chance(org.callingShare);
      const dial = `+${org.country === 'US' ? '1 408' : org.country === 'GB' ? '44 20' : '49 30'} 555 ${String(1000 + rng.int(9000))}`;
      const extension = String(2000 + rng.int(8000));
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
        licenses: [licenses.messaging, licenses.spark, ...(rng.chance(0.7) ? [licenses.meetings] : [])],
      };
      if (rng.chance(0.3)) person.nickName = firstName.slice(0, Math.max(3, firstName.length - 2));
      if (rng.chance(0.75))
        person.avatar = `https://avatar-prod-us-east-2.webexcontent.com/Avtr~V1~${org.id}/V1~${rng.hex(64)}~${rng.hex(32)}~1600`;
      const phoneNumbers: NonNullable<DirectoryPersonEntry['phoneNumbers']> = [];
      if (callingUser || rng.chance(0.5)) phoneNumbers.push({ type: 'work', value: dial, primary: true });
      if (callingUser) phoneNumbers.push({ type: 'work_extension', value: `8${extension}` });
      if (rng.chance(0.6))
        phoneNumbers.push({
          type: 'mobile',
          value: `+${org.country === 'US' ? '1' : '44'} 555 ${rng.int(10_000_000)}`,
        });
      if (phoneNumbers.length > 0) person.phoneNumbers = phoneNumbers;
      if (callingUser) {
        person.extension = extension;
        person.locationId = rng.pick(locations);
        person.licenses = [...(person.licenses ?? []), licenses.calling];
      }
      if (rng.chance(0.7)) {
        person.addresses = [
          {
            type: 'work',
            country: org.country,
            locality,
            region,
            streetAddress: `${1 + rng.int(400)} ${rng.pick(['Market', 'Main', 'Station', 'Park', 'River'])} Street`,
            postalCode,
          },
        ];
      }
      const manager = managers.length > 0 ? rng.pick(managers) : undefined;
      if (manager) {
        person.manager = manager.displayName;
        person.managerId = manager.id;
      }
      if (managers.length < 200 && rng.chance(0.1)) managers.push({ id, displayName });
      if (rng.chance(0.4)) person.siteUrls = [`${org.domain.split('.')[0] ?? 'site'}.webex.com#attendee`];
      if (rng.chance(0.6)) {
        person.sipAddresses = [
          {
            type: 'personal-room',
            value: `${local}@${org.domain.split('.')[0] ?? 'site'}.webex.com`,
            primary: false,
          },
          ...(callingUser
            ? [
                {
                  type: 'cloud-calling' as const,
                  value: `${local}@${org.domain.split('.')[0] ?? 'site'}.calls.webex.com`,
                  primary: true,
                },
              ]
            : []),
        ];
      }
      if (rng.chance(0.05)) person.xmppFederationJid = `${local}@xmpp.${org.domain}`;
      if (rng.chance(0.03)) person.invitePending = true;
      if (rng.chance(0.02)) person.loginEnabled = false;
      if (!person.invitePending) {
        person.presence = {
          lastActivity: iso(now - rng.int(3 * DAY_MS)),
          ...(rng.chance(0.2) && { state: rng.pick(EXPLICIT_PRESENCE_STATES) }),
          ...(rng.chance(0.05) && { sharing: false }),
        };
      }
      people.push(person);
    }
  });

  const callers = chooseCallers(rng, people, options.tokenHolders);
  return {
    file: {
      orgs: ORGS.map((org) => ({
        id: org.id,
        displayName: org.displayName,
        ...(org.manages.length > 0 && { manages: org.manages }),
      })),
      people,
    },
    peopleByOrg,
    allPeople: people.map((p) => p.id as string),
    callers,
  };
}

/** Token holders in every org, about one in five an admin; their tokens are added to `people`. */
function chooseCallers(rng: Rng, people: DirectoryPersonEntry[], count: number): BenchCaller[] {
  const eligible = rng.shuffle(
    people.filter((p) => p.type !== 'bot' && p.invitePending !== true && p.loginEnabled !== false),
  );
  return eligible.slice(0, count).map((person, i) => {
    const token = `rollcall-bench-${rng.hex(48)}`;
    person.tokens = [token];
    const org = ORGS.find((o) => o.id === person.orgId) as OrgPlan;
    const admin = i % 5 === 0;
    if (admin) person.roles = [ADMIN_ROLES[i % ADMIN_ROLES.length] as string];
    return {
      token,
      personId: person.id as string,
      orgId: org.id,
      admin,
      adminOf: admin ? [org.id, ...org.manages] : [],
    };
  });
}
