import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigSchema, ENV_NAMES, type ConfigKey } from '../src/config/config.js';
import { CONFIGURATION_DOC_PATH, configurationDoc } from '../scripts/configuration-doc.js';

// docs/configuration.md is generated from the config schema; like docs/openapi.json, it cannot go stale.

test('docs/configuration.md is the document the config schema generates', async () => {
  assert.equal(
    readFileSync(CONFIGURATION_DOC_PATH, 'utf8'),
    await configurationDoc(),
    `${CONFIGURATION_DOC_PATH} is stale: \`npm run docs:config\` regenerates it (then commit it).`,
  );
});

test('it names every setting with its environment variable', async () => {
  const doc = await configurationDoc();
  for (const key of Object.keys(ConfigSchema.properties) as ConfigKey[]) {
    assert.ok(doc.includes(`| \`${key}\``), key);
    assert.ok(doc.includes(`\`${ENV_NAMES[key]}`), ENV_NAMES[key]);
  }
});
