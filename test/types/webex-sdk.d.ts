// The parts of the official Webex JavaScript SDK (3.12.x) that test/webex-sdk.test.ts uses. The
// @webex/* packages ship no type declarations; this describes their CommonJS exports as loaded with
// createRequire (Babel output: the class is on `default`).

declare module '@webex/webex-core' {
  /** A person as the SDK hands it back: the JSON body of the server, unchanged. */
  export interface WebexPerson {
    id: string;
    emails: string[];
    displayName: string;
    type?: string;
    [field: string]: unknown;
  }

  /** `webex.people.list({...})`: one page of a List People answer, following `Link: <...>; rel="next"`. */
  export interface WebexPage<T> {
    readonly items: T[];
    readonly length: number;
    readonly links: Record<string, string>;
    hasNext(): boolean;
    next(): Promise<WebexPage<T>>;
  }

  export interface WebexRequestOptions {
    service?: string;
    resource?: string;
    uri?: string;
    method?: string;
    qs?: Record<string, string | number | boolean>;
    /** false: send no Authorization header (and skip the services catalog lookup). */
    addAuthHeader?: boolean;
  }

  export interface WebexResponse {
    statusCode: number;
    body: unknown;
    headers: Record<string, string | string[] | undefined>;
  }

  /** The `people` plugin, present once `@webex/plugin-people` has been loaded. */
  export interface PeoplePlugin {
    /** `'me'` → GET people/me; anything else goes through the batcher (GET people/?id=...). */
    get(person: string | { id: string } | { personId: string }): Promise<WebexPerson>;
    list(ids: string[]): Promise<WebexPerson[]>;
    list(options: Record<string, string | number | boolean>): Promise<WebexPage<WebexPerson>>;
    inferPersonIdFromUuid(id: string): string;
  }

  export interface WebexCoreAttrs {
    credentials?: { access_token: string };
    config?: Record<string, unknown>;
  }

  export default class WebexCore {
    constructor(attrs?: WebexCoreAttrs);
    readonly people: PeoplePlugin;
    readonly ready: boolean;
    request(options: WebexRequestOptions): Promise<WebexResponse>;
    once(event: string, listener: () => void): void;
    stopListening(): void;
  }

  /** What every HTTP failure rejects with (subclassed per status, e.g. `WebexHttpError.Unauthorized`). */
  export class WebexHttpError extends Error {
    readonly statusCode: number;
    readonly body: unknown;
    readonly headers: Record<string, string | string[] | undefined>;
    readonly options: { uri?: string; method?: string; headers?: Record<string, string> };
  }
}

// Loaded for their side effect: each registers its plugin on @webex/webex-core.
declare module '@webex/plugin-people' {}
declare module '@webex/plugin-logger' {}
