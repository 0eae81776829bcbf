import { exportDirectory } from '../directory/export-directory.js';
import { openStore } from '../store/open-store.js';

/** The directory file of what the database holds (no tokens), as pretty JSON. */
export async function exportDatabase(db: string): Promise<string> {
  const store = openStore(db);
  try {
    return `${JSON.stringify(exportDirectory(await store.readDirectory()), null, 2)}\n`;
  } finally {
    await store.close();
  }
}
