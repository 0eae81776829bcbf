// What every control route shares: its OpenAPI tag, and no per-token rate limit (the control API is
// for the test driving a client, not for the client under test).
export const CONTROL_TAGS = ['Control'];
export const CONTROL_CONFIG = { rateLimit: false as const };
